"""Which rules a run uses, each with the severity its problems get: ``--select``,
``--ignore`` and the configuration, with family names (``links``) expanded."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from vaultcheck.core.problem import Severity
from vaultcheck.links.suggest import did_you_mean
from vaultcheck.rules.api import Rule
from vaultcheck.rules.registry import FAMILIES, RULES
from vaultcheck.vault.config import Config, ConfigError, located


@dataclass(frozen=True)
class Selection:
    """The rules a run uses, each with the severity its problems get."""

    severities: dict[str, Severity]

    @property
    def rules(self) -> list[Rule]:
        return [RULES[name] for name in RULES if name in self.severities]


def expand_rule_names(names: Iterable[str], origin: str) -> list[str]:
    """Rule names and family names (``links``) to rule names; unknown names are a ConfigError."""
    expanded: list[str] = []
    for name in names:
        if name in RULES:
            expanded.append(name)
        elif name in FAMILIES:
            expanded.extend(FAMILIES[name])
        else:
            hint = did_you_mean(name, [*RULES, *FAMILIES]) or (
                f" (known: {', '.join([*RULES, *FAMILIES])})"
            )
            raise ConfigError(f"{origin}: unknown rule '{name}'{hint}")
    return expanded


def select_rules(
    config: Config, select: Sequence[str] | None = None, ignore: Sequence[str] = ()
) -> Selection:
    """Rules to run: ``--select`` (else config ``select``, else the rules on by default),
    minus config ``ignore`` and ``--ignore``, with config ``severity`` applied."""
    if select is not None:
        chosen = expand_rule_names(select, "--select")
    elif config.select is not None:
        chosen = expand_rule_names(config.select, located(config, "select"))
    else:
        chosen = [name for name, rule in RULES.items() if rule.enabled_by_default]
    ignored = set(expand_rule_names(config.ignore, located(config, "ignore"))) | set(
        expand_rule_names(ignore, "--ignore")
    )
    severities = {
        name: RULES[name].default_severity for name in chosen if name not in ignored
    }
    for name, level in config.severity.items():
        for rule in expand_rule_names([name], located(config, "severity", name)):
            if level == "off":
                severities.pop(rule, None)
            elif rule in severities or select is None and config.select is None:
                severities[rule] = Severity(level)
    if not severities:
        # A run that checks nothing must not pass as a clean vault.
        raise ConfigError(
            "no rules selected (check --select, --ignore and the select, ignore and"
            " severity settings)"
        )
    return Selection(severities)


