"""Running scans at scale: the same scan, partitioned over Dask workers."""
