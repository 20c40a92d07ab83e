#!/bin/bash
# A Slurm array job: 16 shards of one ensemble, each on its own node or core
# set, then one merge. The shards use the same seed and the same random streams
# as a single run, so the merged report equals `noether simulate` without
# --shard, bit for bit.
#
#   mkdir -p parts && sbatch examples/cluster/slurm-array.sh   # in a checkout after `npm ci && npm run build`
#   node dist/cli.js merge parts/part-*.json --json > ensemble.json   # after the array finishes
#
#SBATCH --job-name=noether-shards
#SBATCH --array=1-16
#SBATCH --cpus-per-task=4
#SBATCH --time=00:30:00
#SBATCH --output=parts/slurm-%A_%a.log
set -euo pipefail
mkdir -p parts
node dist/cli.js simulate examples/attractor3.yaml \
  --from '[0.8, -0.4]' --T 10 --dt 0.001 --paths 1000000 --seed 42 \
  --workers "${SLURM_CPUS_PER_TASK:-1}" \
  --shard "${SLURM_ARRAY_TASK_ID}/16" --out "parts/part-${SLURM_ARRAY_TASK_ID}.json" > /dev/null
