"""Headless GUI testing: YAML test files in plain words, run on private virtual displays, reported as JUnit/HTML."""
