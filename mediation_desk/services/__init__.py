"""Use cases shared by the GUI and the CLI. Plain arguments in, plain data out. No Qt."""
