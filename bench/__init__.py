"""broadsheet's benchmark: development sets, metrics, peer extractors, report and regression gate."""
