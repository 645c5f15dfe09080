from ftlint.entry import main_entry

main_entry()
