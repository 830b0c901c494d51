"""Section builders of the report, one module per area."""
