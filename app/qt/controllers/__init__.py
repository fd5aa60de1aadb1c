"""Controllers: what the widgets do, wired to the engine and the settings."""
