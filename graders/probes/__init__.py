"""Child-side code that calls student code (drivers). It collects outputs and never judges them."""
