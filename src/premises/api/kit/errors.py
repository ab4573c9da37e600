"""The one error the kit raises: bad client input, named in the client's (wire) words.

The kit reads bodies and query strings before any domain name applies, so the field it names is
the WIRE name the client sent (``customWOStatusId``, ``additionalCosts[0].amount``, ``limit``).
``WireInputError`` is a ``DomainValidation`` (a 400 in every dialect) carrying a code from the
"Wire input (kit)" section of ``premises.errors.ErrorCode``; a dialect renders it with its own
template for the code and shows ``field`` (and every ``*field`` parameter) as it is, without the
domain -> wire translation it applies to errors raised by the domain.
"""

from __future__ import annotations

from premises.errors import DomainValidation


class WireInputError(DomainValidation):
    """Bad input found by the kit; ``field`` is already the client's name for the field."""
