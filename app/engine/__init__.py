"""The engine of one run: composing it, executing actions, code sandboxes, replay on a desktop."""
