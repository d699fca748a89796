"""Failed sign-ins counted so that a stranger cannot lock an account's owner out.

django-axes counts failures per group of AXES_LOCKOUT_PARAMETERS and locks a client out when any
group reaches the limit; with the groups `["ip_address", "username"]` and `"ip_address"` that
means one account from one address, and any accounts from one address. Both groups name the
address, so failures from elsewhere never lock the owner out: a stranger who knows a username
only locks themself out of it.

axes has one AXES_FAILURE_LIMIT for every group. The address gets a larger one,
ACCOUNTS_ADDRESS_FAILURE_LIMIT, so that people behind one shared address (an office, a mobile
carrier's NAT) do not lock each other out as fast as a guesser locks one account; it still stops
one address from spraying guesses over many usernames.
https://django-axes.readthedocs.io/en/latest/4_configuration.html (AXES_LOCKOUT_PARAMETERS,
AXES_HANDLER); what is counted: axes.handlers.database.AxesDatabaseHandler.get_failures.
"""

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import QuerySet, Sum
from django.http import HttpRequest

# The groups, in this order (axes filters by them in order, axes.helpers.get_client_parameters).
LOCKOUT_PARAMETERS = [["ip_address", "username"], "ip_address"]


def _groups(attempts: list[QuerySet]) -> list[QuerySet]:
    if settings.AXES_LOCKOUT_PARAMETERS != LOCKOUT_PARAMETERS or len(attempts) != 2:
        raise ValueError(
            f"accounts.lockout counts AXES_LOCKOUT_PARAMETERS = {LOCKOUT_PARAMETERS!r}; "
            f"set that, or another AXES_HANDLER, instead of "
            f"{settings.AXES_LOCKOUT_PARAMETERS!r}"
        )
    return attempts


def _failures(attempts: QuerySet) -> int:
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


def scaled_failures(account_failures: int, address_failures: int) -> int:
    """The failures to compare with AXES_FAILURE_LIMIT (the one comparison axes makes).

    The address's count is expressed in units of the account's limit: it reaches the limit
    exactly when it reaches ACCOUNTS_ADDRESS_FAILURE_LIMIT.
    """
    account_limit = settings.AXES_FAILURE_LIMIT
    address_limit = settings.ACCOUNTS_ADDRESS_FAILURE_LIMIT
    return max(account_failures, address_failures * account_limit // address_limit)


class AccountAtAddressHandler(AxesDatabaseHandler):
    """axes' database handler with a limit per (address, account) and a larger one per address."""

    def get_failures(self, request: HttpRequest, credentials: dict | None = None) -> int:
        account, address = _groups(self.get_user_attempts(request, credentials))
        return scaled_failures(_failures(account), _failures(address))

    def reset_user_attempts(self, request: HttpRequest, credentials: dict | None = None) -> int:
        """A successful sign-in clears that account's failures at that address only: signing in
        to an account of one's own must not clear the guesses made at other accounts."""
        account, _ = _groups(self.filter_user_attempts(request, credentials))
        count, _ = account.delete()
        return count
