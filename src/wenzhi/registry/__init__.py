"""The registry of Tianjin's cultural industry: enterprises, parks and bases, talents and directories (名录)."""
