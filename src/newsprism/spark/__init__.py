"""newsprism's whole analysis as a Spark job (``newsprism spark``, the ``spark`` extra).

The same pure stages as the single-machine path (``pipeline``), run as Spark stages: ``read``
(the input cut into pieces a task reads), ``windows`` (the story desk run a time window at a
time and the windows joined at their overlaps), ``job`` (the stages, the session, the tables
written through ``export.tables``) and ``load`` (the result loaded into a store). Spark does
all the distributing; nothing here starts a process. Nothing imports pyspark until a job runs.
"""
