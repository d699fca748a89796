"""Develops and checks the program; never deployed: the offline mocks, the plan, the local
topology, the benchmarks and the operator tools."""
