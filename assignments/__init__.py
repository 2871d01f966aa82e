"""The chapter-5 nbgrader assignment: notebooks generated from Python templates with solutions taken
from ``reference``, a course directory ready for nbgrader, and autograding that does not trust the
student's kernel (every submission is regraded in the sandbox by ``graders``)."""
