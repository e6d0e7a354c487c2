"""newsprism: one story, split into its outlets.

The Python API (``newsprism.api``)::

    import newsprism

    result = newsprism.analyze(["../shared/corpora/seeds", {"text": "...", "outlet": "BBC News"}])
    for story in result.stories:
        print(story.title, story.outlets, len(story.reuse))
    result.to_json()                                  # what report.json holds
    store = newsprism.open_store("newsprism.db")      # a persistent store

``import newsprism`` is cheap: the engine loads on the first call.
"""

__version__ = "0.1.0"

from .api import SAMPLE, Analysis, StoryResult, analyze, open_store  # noqa: E402
from .model import Article, IngestProblem  # noqa: E402

__all__ = ["SAMPLE", "Analysis", "Article", "IngestProblem", "StoryResult", "analyze", "open_store", "__version__"]
