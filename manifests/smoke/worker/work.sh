while true; do echo working; sleep 30; done
