"""The types the containers' environment contract (``stack/contract.py``) is written in: one
:class:`Variable`, and a container's :class:`ContainerContract`, which says how the names a
place gives the container differ from it. Plain data on the standard library."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Variable:
    """One environment variable of a container."""

    name: str
    meaning: str
    read_by: str
    """What reads it: ``settings.NAME``, the Django setting built from it (web container), or
    the program."""
    secret: bool = False
    """A Secrets Manager reference in the task (``secrets``), never plain ``environment``."""
    required: bool = True
    """Every place that runs the container sets it. False: the reader has a default (or it is
    set only under a condition), so a place may leave it out."""
    stand_in_only: bool = False
    """Points at a local stand-in for an AWS service: set only where one runs, never in AWS."""


@dataclass(frozen=True)
class ContainerContract:
    """The variables one container reads."""

    container: str
    variables: tuple[Variable, ...]

    @property
    def names(self) -> frozenset[str]:
        return frozenset(v.name for v in self.variables)

    @property
    def required(self) -> frozenset[str]:
        return frozenset(v.name for v in self.variables if v.required)

    @property
    def secrets(self) -> frozenset[str]:
        return frozenset(v.name for v in self.variables if v.secret)

    @property
    def stand_in_only(self) -> frozenset[str]:
        return frozenset(v.name for v in self.variables if v.stand_in_only)

    def variable(self, name: str) -> Variable:
        return next(v for v in self.variables if v.name == name)

    def differences(
        self,
        environment: Iterable[str],
        secrets: Iterable[str] | None = None,
        *,
        in_aws: bool = False,
    ) -> list[str]:
        """How the names a place gives this container differ from the contract, one line each.

        ``secrets``: the names it passes as secrets, when it keeps them apart (the task does;
        compose and `make local` have one environment). ``in_aws``: the place runs in AWS,
        where no stand-in runs.
        """
        plain, hidden = set(environment), set(secrets or ())
        given = plain | hidden
        found = []
        if unknown := sorted(given - self.names):
            found.append(
                f"{self.container}: {', '.join(unknown)} not in the contract (declare it in "
                "stack/contract.py, or stop setting it)"
            )
        if missing := sorted(self.required - given):
            found.append(f"{self.container}: {', '.join(missing)} missing (the contract needs it)")
        if in_aws and (stand_ins := sorted(given & self.stand_in_only)):
            found.append(
                f"{self.container}: {', '.join(stand_ins)} points at a local stand-in; "
                "leave it out in AWS"
            )
        if secrets is not None:
            if exposed := sorted(plain & self.secrets):
                found.append(
                    f"{self.container}: {', '.join(exposed)} is a secret; pass it in secrets"
                )
            if hidden_plain := sorted(hidden - self.secrets):
                found.append(
                    f"{self.container}: {', '.join(hidden_plain)} is plain; pass it in "
                    "environment (or mark it secret in stack/contract.py)"
                )
        return found

    def checked(
        self,
        where: str,
        environment: Mapping[str, object],
        secrets: Mapping[str, object] | None = None,
        *,
        in_aws: bool = False,
    ) -> None:
        """Raise ValueError naming every difference between what ``where`` gives this
        container and the contract."""
        found = self.differences(
            environment, None if secrets is None else set(secrets), in_aws=in_aws
        )
        if found:
            raise ValueError(
                f"{where}: the {self.container} container's environment differs from "
                "stack/contract.py:\n  " + "\n  ".join(found)
            )
