"""What every lesson measures and shows with, on top of the core: the digit classifier and the metrics
(from lesson 03 on), the notebook helpers, the exercise checks' machinery, and the shipped weights.
Never imports a lesson.
"""
