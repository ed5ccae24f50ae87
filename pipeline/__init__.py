"""Who said what, and for or against? The packages in pipeline order:

text (read, parse) -> claims -> attribution (speakers) -> actors -> classify (stance) -> run (the engine, output);
beside them models (encoders, checkpoints), and on top data (labeled files, corpora), evaluation and training, which
import the stages and are never imported by them. cli, config, errors, records, writers and progress are shared.
"""
