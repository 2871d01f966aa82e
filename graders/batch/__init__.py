"""Grading a whole class: every submission in a folder, in parallel processes or on a Dask cluster,
each result kept as soon as it is finished, so a run that is killed loses nothing and resumes."""
