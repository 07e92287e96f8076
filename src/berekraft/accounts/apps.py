from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "berekraft.accounts"
    label = "accounts"
