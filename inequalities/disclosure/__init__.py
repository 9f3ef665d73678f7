"""Small-number disclosure control: suppression, rounding, midpoint-6, secondary suppression.

* :func:`suppress_and_round`: row by row (OpenSAFELY / NHS Digital HES rules, or midpoint-6).
* :func:`protect_table`: tables with totals, margins or nested geographies, with secondary
  suppression so no hidden cell can be recovered by differencing.
* :func:`disclose`: the long-format entry point used by the CLI.
* :func:`midpoint6`, :func:`round_to_base`: the rounding rules on their own.

References: docs/methods.md §10; OpenSAFELY documentation "Releasing files" and ehrQL
``measures/disclosure_control.py``; NHS Digital (2018) HES/ECDS disclosure control
methodology; Hundepool et al. (2012) Statistical Disclosure Control (Wiley), ch. 4.
"""

from inequalities.disclosure.rounding import midpoint6, round_to_base
from inequalities.disclosure.simple import suppress_and_round
from inequalities.disclosure.table import disclose, protect_table

__all__ = ["disclose", "midpoint6", "protect_table", "round_to_base", "suppress_and_round"]
