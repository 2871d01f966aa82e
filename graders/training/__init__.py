"""Grading a trainer: lockstep replay against the oracles, and an accuracy run on real digits.

Two ways a trainer reaches the grader: the student's TwoLayerNet driven by the grader's SGD
loop (``loop="grader"``), and the student's own ``train`` function (``loop="own"``). Both
run in the sandbox and hand back parameters; replaying and evaluating them is done here.
"""
