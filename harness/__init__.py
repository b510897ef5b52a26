"""What the tests and the benchmarks share: a real E-cabinet server in a subprocess
(``server``), Socket.IO and HTTP clients for it (``client``), and access to the machine's
PostgreSQL and Redis (``services``). Neither ``tests`` nor ``bench`` imports the other."""
