"""The parts home is made of besides its table, as one base class: each part a mixin module
with its keys (co-observation, team and sync, survey, rota, portfolios, actions due, my
focus). A new part of home goes here, so that home.py itself stays the table and its ways
onward."""

from __future__ import annotations

from observe.app.screens.home_actions import ActionsOnHome
from observe.app.screens.home_coobs import CoObserve
from observe.app.screens.home_focus import FocusOnHome
from observe.app.screens.home_portfolio import PortfolioOnHome
from observe.app.screens.home_rota import RotaOnHome
from observe.app.screens.home_survey import SurveyOnHome
from observe.app.screens.home_team import TeamOnHome


class HomeParts(
    CoObserve, TeamOnHome, SurveyOnHome, RotaOnHome, PortfolioOnHome, ActionsOnHome, FocusOnHome
):
    """Mixed into HomeScreen, which supplies ``highlighted``, ``_go`` and ``_refused``."""
