"""
Amounts of money, formatted with their currency.

Prices are `Decimal`s in the database; a `Money` pairs one with its currency
code so that a total is never formed from two currencies and every amount on
the site is printed the same way ("€12.00", "CHF 12.00").
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
# Currencies whose symbol readers know; any other is printed with its ISO code.
SYMBOLS = {"EUR": "€", "GBP": "£", "USD": "$"}


@dataclass(frozen=True, slots=True)
class Money:
    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        if not isinstance(self.amount, Decimal):
            raise TypeError(f"Money needs a Decimal amount, not {type(self.amount).__name__}.")

    def __str__(self) -> str:
        amount = f"{self.amount.quantize(CENT, rounding=ROUND_HALF_UP):,.2f}"
        if symbol := SYMBOLS.get(self.currency):
            return f"{symbol}{amount}"
        # A no-break space keeps the code and the amount on one line.
        return f"{self.currency}\N{NO-BREAK SPACE}{amount}"

    def __add__(self, other: "Money") -> "Money":
        if not isinstance(other, Money):
            return NotImplemented
        if other.currency != self.currency:
            raise ValueError(f"Cannot add {other.currency} to {self.currency}.")
        return Money(self.amount + other.amount, self.currency)

    def __mul__(self, quantity: int) -> "Money":
        if not isinstance(quantity, int) or isinstance(quantity, bool):
            return NotImplemented
        return Money(self.amount * quantity, self.currency)

    @classmethod
    def zero(cls, currency: str) -> "Money":
        return cls(Decimal("0.00"), currency)
