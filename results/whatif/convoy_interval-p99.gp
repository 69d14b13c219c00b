# gilsim plot: makespan of convoy_p99_s by python.switch_interval; the data, one block per series: convoy_interval-p99.dat
# Draw it again (after editing, say) from this directory: gnuplot convoy_interval-p99.gp
set terminal pngcairo size 1000,560 noenhanced font 'Sans,11'
set output 'convoy_interval-p99.png'
set title 'I/O thread: p99 wait for the GIL after each I/O, by switch interval'
set xlabel 'python.switch_interval (ms)'
set ylabel 'convoy_p99_s'
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
set xrange [0.0909090909:22]
set xtics ('0.1' 0.1, '0.2' 0.2, '0.5' 0.5, '1' 1, '2' 2, '5' 5, '10' 10, '20' 20)
set logscale y 10
plot 'convoy_interval-p99.dat' index 0 using 1:2 with linespoints lc 1 pt 7 ps 0.9 lw 2 title 'count=1', \
     'convoy_interval-p99.dat' index 1 using 1:2 with linespoints lc 2 pt 5 ps 0.9 lw 2 title 'count=2', \
     'convoy_interval-p99.dat' index 2 using 1:2 with linespoints lc 3 pt 9 ps 0.9 lw 2 title 'count=4'
