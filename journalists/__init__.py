"""Vetted journalists: their accounts, the staff's approval, and the embargo agreement.

Above ``alerts`` (it e-mails journalists through the alerts' delivery) and below
``pressroom`` (which decides, per release, what an approved journalist may read
before the embargo lifts).  A journalist is a user with a :class:`Journalist`
row and never staff: the two kinds of account never mix (``journalists.rules``).
"""
