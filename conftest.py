pytest_plugins = ["wenzhi.core.testing"]
