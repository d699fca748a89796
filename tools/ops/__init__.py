"""Tools an operator or the deploy workflow runs against a deployed stack; standard library only."""
