"""Deciding what to do: actions, the agent loop, the direct-command interpreter and trajectories."""
