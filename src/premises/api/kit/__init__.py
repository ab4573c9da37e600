"""The dialect-neutral API kit: what every dialect (``api/upkeep``, ``/v1``, onOffice) uses.

Reading and coercing bodies against field ``Spec`` declarations (``body``), parsing list
parameters into the domain's ``ListQuery`` (``listing``), ``includes`` expansion (``expand``),
the runtime and principal dependencies (``auth``), and the registry of mounted dialects
(``dialects``). The kit raises ``DomainValidation`` with error codes and WIRE field names; each
dialect renders the message. The kit imports no dialect (``tests/test_architecture.py``).
"""
