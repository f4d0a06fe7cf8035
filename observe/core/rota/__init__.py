"""The observation rota: who observes whom in a wave (model, rules, planning, progress)."""
