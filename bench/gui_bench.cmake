# GUI benches
