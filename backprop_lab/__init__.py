"""Command-line front end of backprop-lab; sits on top of reference, graders and assignments."""
