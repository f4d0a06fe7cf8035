"""Performance budgets, measured as ratios against a floor taken in the same run."""
