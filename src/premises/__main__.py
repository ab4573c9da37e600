from premises.cli.main import app

app()
