# gilsim plot: makespan of latency_p99_s by workload.arrivals.poisson; the data, one block per series: service_cpu_open-p99.dat
# Draw it again (after editing, say) from this directory: gnuplot service_cpu_open-p99.gp
set terminal pngcairo size 1000,560 noenhanced font 'Sans,11'
set output 'service_cpu_open-p99.png'
set title 'service_cpu_open: p99 latency (s) against requests per second offered'
set xlabel 'workload.arrivals.poisson'
set ylabel 'latency_p99_s'
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
set xrange [45.4545455:4950]
set xtics ('50' 50, '70' 70, '100' 100, '140' 140, '200' 200, '280' 280, '400' 400, '560' 560, '800' 800, '1100' 1100, '1600' 1600, '2200' 2200, '3200' 3200, '4500' 4500)
set logscale y 10
plot 'service_cpu_open-p99.dat' index 0 using 1:2 with linespoints lc 1 pt 7 ps 0.9 lw 2 title 'model=threads, cores=1', \
     'service_cpu_open-p99.dat' index 1 using 1:2 with linespoints lc 2 pt 5 ps 0.9 lw 2 title 'model=processes, cores=1', \
     'service_cpu_open-p99.dat' index 2 using 1:2 with linespoints lc 3 pt 9 ps 0.9 lw 2 title 'model=threads, cores=4', \
     'service_cpu_open-p99.dat' index 3 using 1:2 with linespoints lc 4 pt 11 ps 0.9 lw 2 title 'model=processes, cores=4', \
     'service_cpu_open-p99.dat' index 4 using 1:2 with linespoints lc 5 pt 13 ps 0.9 lw 2 title 'model=threads, cores=16', \
     'service_cpu_open-p99.dat' index 5 using 1:2 with linespoints lc 6 pt 15 ps 0.9 lw 2 title 'model=processes, cores=16'
