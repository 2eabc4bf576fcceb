"""Les commandes de ``cls`` : un module par groupe, chacune mince (options -> cœur -> affichage)."""
