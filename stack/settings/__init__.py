"""Typed, validated settings of one django-tw stack, each declared once, on its field of
:class:`StackSettings` (:data:`SETTINGS` lists them, derived from the fields).

Data flows one way: ``Pulumi.<stack>.yaml`` -> :func:`load_settings` -> components. Every
setting is checked here, before the program declares a single resource, and every error
names the setting, the bad value and what is allowed, so the fix is obvious from the message.
What each kind of value accepts is in ``stack/parsers/``.

Setting names are the keys under the ``django-tw:`` namespace (``domain``, ``vpcCidr``...),
plus the provider's ``aws:region``.

The package's modules: ``declaration`` (how a setting is declared on its field), ``fields``
(:class:`StackSettings`, every setting, and :func:`load_settings`), ``stack_file`` (a stack
file read offline as the Pulumi CLI reads it) and ``this_run`` (the settings of the current
Pulumi run). Their public names are offered here.
"""

# The enumerations (those the components accept are theirs) are offered with the settings that
# choose among them (``as``: re-exported).
from stack.parsers.choices import CPU_ARCHITECTURES as CPU_ARCHITECTURES
from stack.parsers.choices import DATABASE_EFS as DATABASE_EFS
from stack.parsers.choices import DATABASE_RDS as DATABASE_RDS
from stack.parsers.choices import DATABASES as DATABASES
from stack.parsers.choices import DB_INSTANCE_CLASSES as DB_INSTANCE_CLASSES
from stack.parsers.choices import EFS_THROUGHPUT_MODES as EFS_THROUGHPUT_MODES
from stack.parsers.choices import EGRESS_ENDPOINTS as EGRESS_ENDPOINTS
from stack.parsers.choices import EGRESS_MODES as EGRESS_MODES
from stack.parsers.choices import EGRESS_NAT as EGRESS_NAT
from stack.parsers.choices import EGRESS_NAT_PER_AZ as EGRESS_NAT_PER_AZ
from stack.parsers.choices import EGRESS_NAT_SINGLE as EGRESS_NAT_SINGLE
from stack.parsers.choices import ENVIRONMENTS as ENVIRONMENTS
from stack.parsers.choices import FARGATE_CPU_MEMORY as FARGATE_CPU_MEMORY
from stack.parsers.choices import FARGATE_SPOT_MIXED as FARGATE_SPOT_MIXED
from stack.parsers.choices import FARGATE_SPOT_MODES as FARGATE_SPOT_MODES
from stack.parsers.choices import FARGATE_SPOT_OFF as FARGATE_SPOT_OFF
from stack.parsers.choices import FLOW_LOG_MODES as FLOW_LOG_MODES
from stack.parsers.choices import LOG_RETENTION_DAYS as LOG_RETENTION_DAYS
from stack.parsers.choices import NAT_GATEWAY_MODES as NAT_GATEWAY_MODES
from stack.parsers.choices import PRODUCTION as PRODUCTION
from stack.parsers.choices import WAF_MODES as WAF_MODES
from stack.parsers.choices import WAF_OFF as WAF_OFF
from stack.parsers.choices import WAF_ON as WAF_ON
from stack.settings.declaration import PROJECT as PROJECT
from stack.settings.declaration import Setting as Setting
from stack.settings.declaration import SettingDeclarationError as SettingDeclarationError
from stack.settings.declaration import SettingsError as SettingsError
from stack.settings.declaration import config_key as config_key
from stack.settings.declaration import declared_settings as declared_settings
from stack.settings.declaration import setting as setting
from stack.settings.fields import DEFAULTS as DEFAULTS
from stack.settings.fields import SETTING_NAMES as SETTING_NAMES
from stack.settings.fields import SETTINGS as SETTINGS
from stack.settings.fields import StackSettings as StackSettings
from stack.settings.fields import load_settings as load_settings
from stack.settings.stack_file import declared_config as declared_config
from stack.settings.stack_file import read_stack_file as read_stack_file
from stack.settings.this_run import config_from_pulumi as config_from_pulumi
from stack.settings.this_run import example_settings as example_settings
from stack.settings.this_run import example_settings_message as example_settings_message
from stack.settings.this_run import running_under_mocks as running_under_mocks
from stack.settings.this_run import settings_of_this_run as settings_of_this_run
