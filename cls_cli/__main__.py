"""``python -m cls_cli`` : la même chose que la commande ``cls``."""

from cls_cli.demarrage import main

main()
