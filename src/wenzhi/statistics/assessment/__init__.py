"""District performance assessment (绩效考核): a scheme per year (indicators and weights) → each district's score,
rank, each indicator's contribution and an explanation; exported for the assessment office."""
