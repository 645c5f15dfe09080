from ftlint.cli import main_entry

main_entry()
