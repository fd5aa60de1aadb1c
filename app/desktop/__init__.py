"""Desktop I/O: screen capture, input drivers and virtual displays."""
