from .models import PolicySettings


def policy_settings_get() -> PolicySettings:
    """Return the policy settings row, creating it with the policy's defaults on first use."""
    settings, _created = PolicySettings.objects.get_or_create(pk=PolicySettings.SINGLETON_PK)
    return settings
