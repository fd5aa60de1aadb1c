"""DeskPilot as an MCP server (`deskpilot mcp`): other agents use the desktop through DeskPilot's policy."""
