"""`stance train`, one module per task: stance (with distillation), tagger, speakers."""
