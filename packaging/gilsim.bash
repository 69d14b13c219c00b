# bash completion for gilsim: the commands, each command's options, and files where a command
# takes them (scenarios, results.csv, directories). Installed as
# share/bash-completion/completions/gilsim; tests/packaging_test.py keeps the option lists equal
# to each command's --help.

_gilsim_options()
{
  case "$1" in
    run) echo "--set --seed --out --json --max-events --max-time --max-wall --no-lookahead --trace --timeline --diagram --html --window --profile -j --jobs --shard --retry-failed --exec" ;;
    check) echo "--set --json --profile" ;;
    show) echo "--set --profile" ;;
    jobs) echo "--policy --quantum --unit --io-time --cores --seed --set --print-scenario --out --json --trace --timeline --diagram --html" ;;
    sweep) echo "--grid --seeds --set -j --jobs --out --shard --json --retry-failed --max-events --max-time --max-wall --profile --exec --slurm --sbatch --wait" ;;
    merge) echo "--out" ;;
    plot) echo "--x --y --series --where --kind --out --title --logx --logy --no-amdahl" ;;
    calibrate) echo "--out --python --quick" ;;
    validate) echo "--profile --python --suite --only --quick" ;;
    schema) echo "" ;;
    choose) echo "--goal --cores --max-workers -j --jobs --out --json --html --retry-failed --profile --exec" ;;
  esac
}

_gilsim()
{
  local cur prev cmd i
  COMPREPLY=()
  cur="${COMP_WORDS[COMP_CWORD]}"
  prev="${COMP_WORDS[COMP_CWORD-1]}"
  local commands="run check jobs show sweep merge plot calibrate validate schema choose"
  cmd=""
  for ((i = 1; i < COMP_CWORD; i++)); do
    case "${COMP_WORDS[i]}" in
      -*) ;;
      *) cmd="${COMP_WORDS[i]}"; break ;;
    esac
  done
  if [ -z "$cmd" ]; then
    COMPREPLY=($(compgen -W "$commands --help --version" -- "$cur"))
    return
  fi
  case "$prev" in
    --out) COMPREPLY=($(compgen -d -- "$cur")); return ;;
    --trace|--profile) COMPREPLY=($(compgen -f -- "$cur")); return ;;
    --timeline) COMPREPLY=($(compgen -f -X '!*.svg' -- "$cur")); return ;;
    --html) COMPREPLY=($(compgen -f -X '!*.html' -- "$cur")); return ;;
    --diagram) COMPREPLY=($(compgen -W "mermaid" -- "$cur")); return ;;
    --kind) COMPREPLY=($(compgen -W "makespan speedup efficiency" -- "$cur")); return ;;
    --policy) COMPREPLY=($(compgen -W "fifo sjf stcf rr mlfq lottery stride priority cfs ps" -- "$cur")); return ;;
    --unit) COMPREPLY=($(compgen -W "s ms us" -- "$cur")); return ;;
    --set|--quantum|--io-time|--cores|--grid|--seed|--seeds|-j|--jobs|--shard|--max-events|--max-time|--max-wall|--x|--y|--series|--where|--title)
      return ;;
  esac
  if [[ "$cur" == -* ]]; then
    COMPREPLY=($(compgen -W "$(_gilsim_options "$cmd") --help" -- "$cur"))
  elif [ "$cmd" = plot ]; then
    COMPREPLY=($(compgen -f -X '!*.csv' -- "$cur") $(compgen -d -- "$cur"))
  elif [ "$cmd" = merge ]; then
    COMPREPLY=($(compgen -d -- "$cur"))
  else
    COMPREPLY=($(compgen -f -X '!*.y?(a)ml' -- "$cur") $(compgen -d -- "$cur"))
  fi
}
complete -o filenames -F _gilsim gilsim
