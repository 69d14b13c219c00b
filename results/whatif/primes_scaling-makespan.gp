# gilsim plot: makespan of makespan_s by machine.cores; the data, one block per series: primes_scaling-makespan.dat
# Draw it again (after editing, say) from this directory: gnuplot primes_scaling-makespan.gp
set terminal pngcairo size 1000,560 noenhanced font 'Sans,11'
set output 'primes_scaling-makespan.png'
set title 'is_prime over 1..10^7 by 64 workers: makespan'
set xlabel 'machine.cores'
set ylabel 'makespan_s'
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
set logscale y 10
plot 'primes_scaling-makespan.dat' index 0 using 1:2 with linespoints lc 1 pt 7 ps 0.9 lw 2 title 'model=threads, gil=new', \
     'primes_scaling-makespan.dat' index 1 using 1:2 with linespoints lc 2 pt 5 ps 0.9 lw 2 title 'model=threads, gil=none', \
     'primes_scaling-makespan.dat' index 2 using 1:2 with linespoints lc 3 pt 9 ps 0.9 lw 2 title 'model=processes, gil=new', \
     'primes_scaling-makespan.dat' index 3 using 1:2 with linespoints lc 4 pt 11 ps 0.9 lw 2 title 'model=processes, gil=none'
