# gilsim plot: speedup of makespan_s by machine.cores; the data, one block per series: primes_scaling-speedup.dat
# Draw it again (after editing, say) from this directory: gnuplot primes_scaling-speedup.gp
set terminal pngcairo size 1000,560 noenhanced font 'Sans,11'
set output 'primes_scaling-speedup.png'
set title 'is_prime over 1..10^7 by 64 workers: speedup over one core'
set xlabel 'machine.cores'
set ylabel 'speedup (makespan_s at the smallest machine.cores / makespan_s)'
set grid
set samples 400
set linetype 1 lc rgb '#0072B2'
set linetype 2 lc rgb '#D55E00'
set linetype 3 lc rgb '#009E73'
set linetype 4 lc rgb '#CC79A7'
set linetype 5 lc rgb '#E69F00'
set linetype 6 lc rgb '#56B4E9'
set linetype 7 lc rgb '#000000'
set linetype 8 lc rgb '#8C564B'
set linetype cycle 8
set key outside right top Left reverse box
set logscale x 2
set xrange [0.909090909:70.4]
set xtics ('1' 1, '2' 2, '4' 4, '8' 8, '16' 16, '32' 32, '64' 64)
set yrange [0:67.6522298]
# Amdahl's law fitted to each series' speedups: S(n) = 1 / (f + (1 - f) / n), n = x / the series' smallest x
f0 = 1; x0 = 1; y0 = 33.207216
amdahl0(x) = x < x0 ? 1/0 : 1 / (f0 + (1 - f0) / (x / x0))
f1 = 0.000644700102; x1 = 1; y1 = 35.8404795
amdahl1(x) = x < x1 ? 1/0 : 1 / (f1 + (1 - f1) / (x / x1))
f2 = 0.00084840135; x2 = 1; y2 = 33.3398446
amdahl2(x) = x < x2 ? 1/0 : 1 / (f2 + (1 - f2) / (x / x2))
f3 = 0.00083498225; x3 = 1; y3 = 36.0070315
amdahl3(x) = x < x3 ? 1/0 : 1 / (f3 + (1 - f3) / (x / x3))
plot 'primes_scaling-speedup.dat' index 0 using 1:3 with linespoints lc 1 pt 7 ps 0.9 lw 2 title 'model=threads, gil=new', \
     amdahl0(x) with lines lc 1 dt 2 lw 1.5 title 'Amdahl f = 1.000', \
     'primes_scaling-speedup.dat' index 1 using 1:3 with linespoints lc 2 pt 5 ps 0.9 lw 2 title 'model=threads, gil=none', \
     amdahl1(x) with lines lc 2 dt 2 lw 1.5 title 'Amdahl f = 0.001', \
     'primes_scaling-speedup.dat' index 2 using 1:3 with linespoints lc 3 pt 9 ps 0.9 lw 2 title 'model=processes, gil=new', \
     amdahl2(x) with lines lc 3 dt 2 lw 1.5 title 'Amdahl f = 0.001', \
     'primes_scaling-speedup.dat' index 3 using 1:3 with linespoints lc 4 pt 11 ps 0.9 lw 2 title 'model=processes, gil=none', \
     amdahl3(x) with lines lc 4 dt 2 lw 1.5 title 'Amdahl f = 0.001', \
     (x < 1 ? 1/0 : x / 1) with lines lc rgb 'gray40' dt 3 title 'ideal'
