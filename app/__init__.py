"""The running program: CLI, desktop I/O, executor, benchmarks and (later) the Qt app."""
