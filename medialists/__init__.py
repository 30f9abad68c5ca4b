"""Media lists: outlets, the journalists who cover a story, lists, and sending releases to them.

Above ``pressroom`` (vetted journalists on a list get the embargoed advance notice)
and below ``desk``.
"""
