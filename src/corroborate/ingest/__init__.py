"""Sources to documents: discovery, format readers, metadata layering."""
